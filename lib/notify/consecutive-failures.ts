import { getDb } from "@/lib/db/client";

// "Failing after N consecutive failed checks": a protocol use's HealthStatus keeps when its current run of
// failures began (failingSince, cleared by a success), so the run's length is the number of checks since
// then. Only the first N are read (index mailboxId+at): enough to know whether the threshold is reached.

export async function hasFailedConsecutively(mailboxId: string, use: { protocol: string; direction: string }, failingSince: Date, threshold: number): Promise<boolean> {
  if (threshold <= 1) return true;
  const rows = await getDb().healthCheck.findMany({
    where: { mailboxId, protocol: use.protocol, direction: use.direction, at: { gte: failingSince } },
    orderBy: { at: "desc" },
    take: threshold,
    select: { ok: true },
  });
  return rows.length >= threshold && rows.every((r) => !r.ok);
}
