import { Badge } from "@/components/ui/card";

const DAY = 86_400_000;

export function formatDay(d: Date | null): string {
  return d ? d.toISOString().slice(0, 10) : "—";
}

export function formatTime(d: Date | null): string {
  return d ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—";
}

/** A credential's expiry with how long is left, coloured by urgency (30/14/7 days). */
export function ExpiryBadge({ date, now = new Date() }: { date: Date | null; now?: Date }) {
  if (!date) return <Badge tone="amber">expiry unknown</Badge>;
  const days = Math.ceil((date.getTime() - now.getTime()) / DAY);
  if (days <= 0) return <Badge tone="red">expired {formatDay(date)}</Badge>;
  const tone = days <= 7 ? "red" : days <= 30 ? "amber" : "green";
  return (
    <Badge tone={tone}>
      {days} day{days === 1 ? "" : "s"} left ({formatDay(date)})
    </Badge>
  );
}
