import { getDb } from "@/lib/db/client";

// Failed sign-ins are counted per account and per client address in the database, so every portal
// instance sees the same counts. After a few failures each attempt is slowed; after the configured
// number the account (or, at five times that, the address) is refused until the lock expires.

const WINDOW_MS = 15 * 60_000;
const SLOW_AFTER = 3;
const IP_FACTOR = 5;

export interface ThrottlePolicy {
  lockAfterFailures: number;
  lockMinutes: number;
}

export interface ThrottleState {
  lockedUntil: Date | null;
  /** How long to wait before answering this attempt. */
  delayMs: number;
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

export async function readThrottle(email: string, ip: string | null, now = new Date()): Promise<ThrottleState> {
  const keys = [accountKey(email), ...(ip ? [ipKey(ip)] : [])];
  const rows = await getDb().signInThrottle.findMany({ where: { key: { in: keys } } });
  let lockedUntil: Date | null = null;
  let failures = 0;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil > now && (!lockedUntil || row.lockedUntil > lockedUntil)) lockedUntil = row.lockedUntil;
    if (row.key.startsWith("account:") && now.getTime() - row.windowStart.getTime() < WINDOW_MS) failures = row.failures;
  }
  const delayMs = failures >= SLOW_AFTER ? Math.min(3000, (failures - SLOW_AFTER + 1) * 500) : 0;
  return { lockedUntil, delayMs };
}

/** Counts a failure; returns the lock's end when this failure locked the account or address. */
export async function recordSignInFailure(
  email: string,
  ip: string | null,
  policy: ThrottlePolicy,
  now = new Date(),
): Promise<Date | null> {
  let locked: Date | null = null;
  const targets: [string, number][] = [[accountKey(email), policy.lockAfterFailures]];
  if (ip) targets.push([ipKey(ip), policy.lockAfterFailures * IP_FACTOR]);
  const db = getDb();
  for (const [key, limit] of targets) {
    const row = await db.signInThrottle.findUnique({ where: { key } });
    const fresh = !row || now.getTime() - row.windowStart.getTime() >= WINDOW_MS || (row.lockedUntil !== null && row.lockedUntil <= now);
    const failures = fresh ? 1 : row.failures + 1;
    const lockedUntil = failures >= limit ? new Date(now.getTime() + policy.lockMinutes * 60_000) : null;
    if (lockedUntil && (!locked || lockedUntil > locked)) locked = lockedUntil;
    await db.signInThrottle.upsert({
      where: { key },
      create: { key, failures, windowStart: now, lockedUntil, lastFailure: now },
      update: { failures, lastFailure: now, lockedUntil, ...(fresh ? { windowStart: now } : {}) },
    });
  }
  return locked;
}

export async function clearAccountThrottle(email: string): Promise<void> {
  await getDb().signInThrottle.deleteMany({ where: { key: accountKey(email) } });
}
