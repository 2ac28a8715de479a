import { open, readFile, rm, stat } from "node:fs/promises";
import pg from "pg";
import { DatabaseError, toDatabaseError } from "@/lib/db/database-error";
import type { DatabaseTarget, PostgresTarget, SqliteTarget } from "@/lib/db/database-url";

// One migration run at a time per database, across processes and instances.
//
// The schema engine has its own PostgreSQL advisory lock, but it gives up after 10 s, and a
// process that gave up still waits for the lock's query on close. Our own lock (another key,
// so the engine's lock stays uncontended) waits as long as a migration may reasonably take;
// the caller re-reads the status once it holds it, so a second deploy finds nothing to do.
// SQLite has no such lock in the engine at all: two runs could both apply the same migration
// and leave a failed row behind. There, a lock file next to the database serialises them.

/** How long a second deploy waits for the first before giving up. */
const waitLimitMs = 5 * 60_000;
/** Arbitrary, fixed, distinct from Prisma's own 72707369. */
const postgresLockKey = "7270736901";

export async function withMigrationLock<T>(target: DatabaseTarget, work: () => Promise<T>): Promise<T> {
  return target.provider === "postgresql" ? withAdvisoryLock(target, work) : withLockFile(target, work);
}

async function withAdvisoryLock<T>(target: PostgresTarget, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: 10_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query(`SET lock_timeout = ${waitLimitMs}`);
    await client.query(`SELECT pg_advisory_lock(${postgresLockKey})`);
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code === "55P03") throw inProgress(target);
    throw toDatabaseError(error, target);
  }
  try {
    return await work();
  } finally {
    // Ending the session releases the lock, also if the unlock query would fail.
    await client.end().catch(() => undefined);
  }
}

async function withLockFile<T>(target: SqliteTarget, work: () => Promise<T>): Promise<T> {
  const lockPath = `${target.filePath}.migrate-lock`;
  const deadline = Date.now() + waitLimitMs;
  for (;;) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw toDatabaseError(error, target);
      if (await isStale(lockPath)) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw inProgress(target);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/** A lock left by a process that died (its pid is gone) or by one that hung for too long. */
async function isStale(lockPath: string): Promise<boolean> {
  try {
    const [content, info] = await Promise.all([readFile(lockPath, "utf8"), stat(lockPath)]);
    if (Date.now() - info.mtimeMs > waitLimitMs * 2) return true;
    const pid = Number(content.trim());
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 5_000; // still being written?
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "ESRCH";
    }
  } catch {
    return false; // removed meanwhile: the next attempt will take it
  }
}

function inProgress(target: DatabaseTarget): DatabaseError {
  return new DatabaseError(
    "migration_in_progress",
    `Another process has been migrating ${target.description} for over ${waitLimitMs / 60_000} minutes. Run npm run db:migrate again when it has finished.`,
  );
}
