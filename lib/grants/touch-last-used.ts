import { getDb } from "@/lib/db/client";
import { logWarn } from "@/lib/log";

// lastUsedAt without a write per token request: at most one write per grant per interval, decided from the
// value just read and what this process wrote last (so 200 concurrent callers cost one write, not 200).
// Fire-and-forget: a lost timestamp is harmless, a slower token request is not.

const lastWritten = new Map<string, number>();
const pending = new Set<Promise<unknown>>();

export function touchLastUsed(grant: { id: string; lastUsedAt: Date | null }, intervalMs: number, now: Date = new Date()): void {
  const latest = Math.max(grant.lastUsedAt?.getTime() ?? 0, lastWritten.get(grant.id) ?? 0);
  if (now.getTime() - latest < intervalMs) return;
  lastWritten.set(grant.id, now.getTime());
  if (lastWritten.size > 50_000) lastWritten.clear();
  const write = getDb()
    .grant.updateMany({ where: { id: grant.id }, data: { lastUsedAt: now } })
    .catch((error: unknown) => logWarn("Could not record when a grant was last used.", error))
    .finally(() => pending.delete(write));
  pending.add(write);
}

/** Waits for lastUsedAt writes still in flight (tests, shutdown). */
export async function flushLastUsedWrites(): Promise<void> {
  await Promise.all([...pending]);
}
