import { Badge } from "@/components/ui/card";
import { formatTime } from "@/components/ui/dates";
import type { DeliveryLogRow } from "@/lib/notify/list-deliveries";

const statusTone = { delivered: "green", failed: "red", retrying: "amber", pending: "blue" } as const;

const statusLabel: Record<string, string> = {
  delivered: "Delivered",
  failed: "Failed",
  retrying: "Retry due",
  pending: "Sending",
};

/** The delivery log: one row per attempt, newest first, with the receiver's answer. */
export function DeliveryLogTable({ rows }: { rows: DeliveryLogRow[] }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">Nothing sent yet. Press Send test on a channel.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm" data-testid="delivery-log">
        <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
          <tr>
            <th className="px-3 py-2">Time</th>
            <th className="px-3 py-2">Channel</th>
            <th className="px-3 py-2">Event</th>
            <th className="px-3 py-2">About</th>
            <th className="px-3 py-2">Attempt</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2">Response</th>
            <th className="px-3 py-2">Error or next attempt</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id} data-delivery-channel={r.channelName} data-status={r.status} className="align-top">
              <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{formatTime(r.at)}</td>
              <td className="px-3 py-2">{r.channelName}</td>
              <td className="px-3 py-2 font-mono text-xs">
                {r.event}
                {r.reminder && <span className="ml-1 text-slate-500">(reminder)</span>}
                {r.toOwner && <span className="ml-1 text-slate-500">(to the owner)</span>}
              </td>
              <td className="px-3 py-2 break-all">{r.subjectLabel}</td>
              <td className="px-3 py-2">{r.attempt}</td>
              <td className="px-3 py-2">
                <Badge tone={statusTone[r.status as keyof typeof statusTone] ?? "slate"}>{statusLabel[r.status] ?? r.status}</Badge>
              </td>
              <td className="px-3 py-2 font-mono" data-testid="response-code">
                {r.responseCode ?? "—"}
              </td>
              <td className="px-3 py-2 text-xs text-slate-700">{r.error ?? (r.nextAttemptAt && r.status !== "delivered" ? `next attempt ${formatTime(r.nextAttemptAt)}` : "")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
