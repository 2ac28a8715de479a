import { getDb } from "@/lib/db/client";

// History is kept for HEALTH_HISTORY_DAYS. Deleted in batches so that on SQLite (one writer) a large
// backlog never holds the write lock long enough to stall token refreshes.

const BATCH = 2_000;

export async function pruneHealthHistory(olderThan: Date): Promise<{ checks: number; sweeps: number }> {
  const db = getDb();
  let checks = 0;
  for (;;) {
    const ids = (await db.healthCheck.findMany({ where: { at: { lt: olderThan } }, select: { id: true }, take: BATCH })).map((r) => r.id);
    if (ids.length === 0) break;
    checks += (await db.healthCheck.deleteMany({ where: { id: { in: ids } } })).count;
    if (ids.length < BATCH) break;
  }
  const sweeps = (await db.healthSweep.deleteMany({ where: { startedAt: { lt: olderThan } } })).count;
  return { checks, sweeps };
}
