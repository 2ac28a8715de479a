import { getDb } from "@/lib/db/client";
import { readCheckDetail, type CheckExplanationView } from "@/lib/health/check-explanation";
import { getUptime, uptimeOf, uptimeWindows, type MailboxUptime } from "@/lib/health/get-uptime";

// One mailbox's recent checks for its page: points for the chart (outcome and latency over the last
// 7 days, the newest 2,000 at most), the latest checks with their explanations, and uptime over 24 h and 7 d.

/** Two protocols checked every 15 minutes for 7 days are 1,344 checks. */
const CHART_POINTS = 2_000;
const LIST_ROWS = 20;
const MIN_CHART_SPAN_MS = 3_600_000;

export interface HealthPoint {
  at: Date;
  protocol: string;
  direction: string;
  ok: boolean;
  durationMs: number;
}

export interface HistoryEntry extends HealthPoint {
  id: string;
  trigger: string;
  errorClass: string | null;
  explanation: CheckExplanationView | null;
}

export interface MailboxHealthHistory {
  points: HealthPoint[];
  /** The chart's time window: the last 7 days, or from the first check when that is later (an hour at least). */
  from: Date;
  to: Date;
  recent: HistoryEntry[];
  uptime: MailboxUptime;
}

export async function getMailboxHealthHistory(mailboxId: string, now: Date = new Date()): Promise<MailboxHealthHistory> {
  const from = new Date(now.getTime() - uptimeWindows.last7d);
  const db = getDb();
  const [points, recent, uptime] = await Promise.all([
    db.healthCheck.findMany({
      where: { mailboxId, at: { gte: from } },
      orderBy: { at: "desc" },
      take: CHART_POINTS,
      select: { at: true, protocol: true, direction: true, ok: true, durationMs: true },
    }),
    db.healthCheck.findMany({ where: { mailboxId }, orderBy: { at: "desc" }, take: LIST_ROWS }),
    getUptime([mailboxId], now),
  ]);
  const chronological = points.reverse();
  // The chart starts where its data starts when that is later than 7 days ago (a mailbox checked for an
  // hour gets an hour-wide chart, not a sliver at the right edge), but spans an hour at least.
  const earliest = chronological[0]?.at.getTime() ?? from.getTime();
  const chartFrom = new Date(Math.max(from.getTime(), Math.min(earliest, now.getTime() - MIN_CHART_SPAN_MS)));
  return {
    points: chronological,
    from: chartFrom,
    to: now,
    recent: recent.map((r) => ({
      id: r.id,
      at: r.at,
      protocol: r.protocol,
      direction: r.direction,
      ok: r.ok,
      durationMs: r.durationMs,
      trigger: r.trigger,
      errorClass: r.errorClass,
      explanation: r.ok ? null : readCheckDetail(r.detail, r.errorClass).explanation,
    })),
    uptime: uptimeOf(uptime, mailboxId),
  };
}
