import { getDb } from "@/lib/db/client";

// Uptime of a mailbox over the last 24 hours and 7 days: the share of its checks (every protocol, every
// trigger) that passed. Counted by the database (GROUP BY mailbox and outcome over the (mailboxId, at)
// index), never by loading the history. Null when there was no check in the window.

export interface Uptime {
  /** 0..1, or null without checks. */
  ratio: number | null;
  checks: number;
  passed: number;
}

export interface MailboxUptime {
  last24h: Uptime;
  last7d: Uptime;
}

const HOUR = 3_600_000;
export const uptimeWindows = { last24h: 24 * HOUR, last7d: 7 * 24 * HOUR } as const;

const empty: Uptime = { ratio: null, checks: 0, passed: 0 };

/** Uptime per mailbox; `mailboxIds` null: every mailbox with checks in the window. */
export async function getUptime(mailboxIds: readonly string[] | null, now: Date = new Date()): Promise<Map<string, MailboxUptime>> {
  const out = new Map<string, MailboxUptime>();
  if (mailboxIds?.length === 0) return out;
  const windows = Object.entries(uptimeWindows) as [keyof MailboxUptime, number][];
  const counted = await Promise.all(
    windows.map(([, ms]) =>
      getDb().healthCheck.groupBy({
        by: ["mailboxId", "ok"],
        where: { at: { gte: new Date(now.getTime() - ms) }, ...(mailboxIds ? { mailboxId: { in: [...mailboxIds] } } : {}) },
        _count: { _all: true },
      }),
    ),
  );
  windows.forEach(([name], i) => {
    for (const row of counted[i]!) {
      const entry = out.get(row.mailboxId) ?? { last24h: { ...empty }, last7d: { ...empty } };
      const u = entry[name];
      u.checks += row._count._all;
      if (row.ok) u.passed += row._count._all;
      u.ratio = u.passed / u.checks;
      out.set(row.mailboxId, entry);
    }
  });
  return out;
}

export function uptimeOf(map: Map<string, MailboxUptime>, mailboxId: string): MailboxUptime {
  return map.get(mailboxId) ?? { last24h: { ...empty }, last7d: { ...empty } };
}
