import { randomBytes } from "node:crypto";
import os from "node:os";
import { getDb, isUniqueConstraintError } from "@/lib/db/client";
import { logWarn } from "@/lib/log";

// A named lease in the database (model Lease), held by one process of one instance at a time: the refresh
// of one grant (`refresh:<grantId>`) or one sweep. Taken by inserting the row, or by a conditional update of
// an expired row; both are single statements, so exactly one contender wins on SQLite (one writer) and on
// PostgreSQL (row lock on update, unique key on insert). The holder renews it while working, so a holder
// that dies (SIGKILL, power loss) blocks the name for at most one TTL. Expiry compares the instances'
// clocks: keep them in sync (NTP), as Microsoft's token validation demands anyway (reference §5, 700024).

const processTag = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

export interface HeldLease {
  name: string;
  holder: string;
  /** False once a renewal found the lease taken over (the holder was too slow): writes must be conditional anyway. */
  stillHeld(): boolean;
  release(): Promise<void>;
}

export async function tryAcquireLease(name: string, ttlMs: number): Promise<HeldLease | null> {
  const db = getDb();
  const holder = `${processTag}:${randomBytes(6).toString("hex")}`;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  let acquired = false;
  try {
    await db.lease.create({ data: { name, holder, expiresAt } });
    acquired = true;
  } catch (error) {
    if (!isUniqueConstraintError(error)) throw error;
    const { count } = await db.lease.updateMany({ where: { name, expiresAt: { lt: now } }, data: { holder, expiresAt } });
    acquired = count === 1;
  }
  if (!acquired) return null;

  let held = true;
  let released = false;
  const renew = async (): Promise<void> => {
    try {
      const { count } = await db.lease.updateMany({ where: { name, holder }, data: { expiresAt: new Date(Date.now() + ttlMs) } });
      if (count === 0) held = false;
    } catch (error) {
      logWarn(`Could not renew the lease ${name}; it lapses after its TTL.`, error);
    }
  };
  const timer = setInterval(() => {
    if (!released) void renew();
  }, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    name,
    holder,
    stillHeld: () => held,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await db.lease.deleteMany({ where: { name, holder } });
    },
  };
}

/** True while someone holds the lease (it exists and has not expired). */
export async function isLeaseHeld(name: string): Promise<boolean> {
  const row = await getDb().lease.findUnique({ where: { name }, select: { expiresAt: true } });
  return row !== null && row.expiresAt.getTime() > Date.now();
}

export const refreshLeaseName = (grantId: string) => `refresh:${grantId}`;

/**
 * Removes refresh leases that expired long ago: a holder that died leaves its row behind, and a grant that
 * was deleted meanwhile never reuses the name. Expired rows block nobody; this only keeps the table small.
 */
export async function pruneExpiredRefreshLeases(olderThanMs: number, now: Date = new Date()): Promise<number> {
  const { count } = await getDb().lease.deleteMany({ where: { name: { startsWith: "refresh:" }, expiresAt: { lt: new Date(now.getTime() - olderThanMs) } } });
  return count;
}
