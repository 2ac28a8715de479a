import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { createClient } from "@libsql/client";
import { DatabaseError, firstLine, toDatabaseError } from "@/lib/db/database-error";
import {
  type DatabaseTarget,
  InvalidDatabaseUrlError,
  type PostgresTarget,
  type SqliteTarget,
  parseDatabaseUrl,
} from "@/lib/db/database-url";
import { openMigrationConnection } from "@/lib/db/migration-adapter";
import { withMigrationLock } from "@/lib/db/migration-lock";
import { listMigrationNames, prismaPaths, readMigrationList } from "@/lib/db/migrations-folder";
import { noFilters, withSchemaEngine } from "@/lib/db/schema-engine";

// Applies the checked-in migrations (prisma/<provider>/migrations) with the WASM schema engine,
// writing the standard _prisma_migrations rows, so this and `prisma migrate deploy` are
// interchangeable. Status is read straight from _prisma_migrations: no engine, one query.

export interface MigrateOptions {
  databaseUrl: string;
  /** Override for tests; default prisma/<provider>/migrations of this project. */
  migrationsDir?: string;
}

export interface MigrationStatus {
  /** Migration folders not (successfully) applied yet, in the order they will apply. Includes `failed`. */
  pending: string[];
  /** Migrations recorded as finished in _prisma_migrations. */
  applied: string[];
  /** Migrations whose last attempt failed and was not rolled back: deploys stop until resolved. */
  failed: string[];
}

export async function applyMigrations(options: MigrateOptions): Promise<{ applied: string[] }> {
  const target = parseTarget(options.databaseUrl);
  if (target.provider === "sqlite") await ensureParentDirectory(target);

  // The cheap check first: an up-to-date database (every start of the server) needs no lock
  // and no engine.
  if ((await getMigrationStatus(options)).pending.length === 0) return { applied: [] };

  return withMigrationLock(target, async () => {
    // Another deploy may have applied them while we waited for the lock.
    if ((await getMigrationStatus(options)).pending.length === 0) return { applied: [] };
    const { schemaPath, migrationsDir: defaultDir } = prismaPaths(target.provider);
    const migrationsDir = options.migrationsDir ?? defaultDir;
    const connection = openMigrationConnection(target);
    try {
      const schema = { path: path.basename(schemaPath), content: await readFile(schemaPath, "utf8") };
      const migrationsList = await readMigrationList(migrationsDir);
      const output = await withSchemaEngine(schema, connection, (engine) => engine.applyMigrations({ migrationsList, filters: noFilters }));
      return { applied: output.appliedMigrationNames };
    } catch (error) {
      throw engineError(error, connection.lastDriverError(), target);
    }
  });
}

/**
 * Marks a failed migration as rolled back (what `prisma migrate resolve --rolled-back` does),
 * after the database has been repaired by hand, so the next deploy retries it.
 */
export async function markMigrationRolledBack(options: MigrateOptions & { migrationName: string }): Promise<void> {
  const target = parseTarget(options.databaseUrl);
  const { schemaPath } = prismaPaths(target.provider);
  await withMigrationLock(target, async () => {
    const connection = openMigrationConnection(target);
    try {
      const schema = { path: path.basename(schemaPath), content: await readFile(schemaPath, "utf8") };
      await withSchemaEngine(schema, connection, (engine) => engine.markMigrationRolledBack({ migrationName: options.migrationName }));
    } catch (error) {
      throw engineError(error, connection.lastDriverError(), target);
    }
  });
}

export async function getMigrationStatus(options: MigrateOptions): Promise<MigrationStatus> {
  const target = parseTarget(options.databaseUrl);
  const migrationsDir = options.migrationsDir ?? prismaPaths(target.provider).migrationsDir;
  const [folders, rows] = await Promise.all([
    listMigrationNames(migrationsDir),
    target.provider === "sqlite" ? readSqliteHistory(target) : readPostgresHistory(target),
  ]);
  if (folders.length === 0) {
    // Missing folders (e.g. a deployment that left prisma/ behind) must not read as "up to date".
    throw new DatabaseError("migrations_missing", `No migrations found in ${migrationsDir}: the deployment must include the prisma/ folder.`);
  }
  const applied = new Set<string>();
  const failed = new Set<string>();
  // Rows are in start order; a later successful attempt supersedes an earlier rolled-back one.
  for (const row of rows) {
    if (row.rolledBack) continue;
    if (row.finished) {
      applied.add(row.name);
      failed.delete(row.name);
    } else if (!applied.has(row.name)) {
      failed.add(row.name);
    }
  }
  return {
    pending: folders.filter((name) => !applied.has(name)),
    applied: [...applied].sort(),
    failed: [...failed].sort(),
  };
}

interface HistoryRow {
  name: string;
  finished: boolean;
  rolledBack: boolean;
}

const historyQuery = "SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at";

async function readSqliteHistory(target: SqliteTarget): Promise<HistoryRow[]> {
  // A database that does not exist yet has nothing applied; do not create it just to look.
  if (!existsSync(target.filePath)) return [];
  let client;
  try {
    client = createClient({ url: `file:${target.filePath}`, timeout: 5000 });
    const result = await client.execute(historyQuery);
    return result.rows.map((row) => ({
      name: String(row.migration_name),
      finished: row.finished_at !== null,
      rolledBack: row.rolled_back_at !== null,
    }));
  } catch (error) {
    if (error instanceof Error && /no such table/i.test(error.message)) return [];
    throw toDatabaseError(error, target);
  } finally {
    client?.close();
  }
}

async function readPostgresHistory(target: PostgresTarget): Promise<HistoryRow[]> {
  const client = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: 10_000 });
  // Socket errors after connect are reported through the query; don't let them crash the process.
  client.on("error", () => undefined);
  try {
    await client.connect();
    const table = target.schema ? `"${target.schema.replaceAll('"', '""')}"._prisma_migrations` : "_prisma_migrations";
    const result = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      historyQuery.replace("_prisma_migrations", table),
    );
    return result.rows.map((row) => ({
      name: row.migration_name,
      finished: row.finished_at !== null,
      rolledBack: row.rolled_back_at !== null,
    }));
  } catch (error) {
    // 42P01 undefined_table: nothing was ever migrated.
    if ((error as { code?: string }).code === "42P01") return [];
    throw toDatabaseError(error, target);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function parseTarget(databaseUrl: string): DatabaseTarget {
  try {
    return parseDatabaseUrl(databaseUrl);
  } catch (error) {
    if (error instanceof InvalidDatabaseUrlError) throw new DatabaseError("invalid_url", error.message);
    throw error;
  }
}

async function ensureParentDirectory(target: SqliteTarget): Promise<void> {
  try {
    await mkdir(path.dirname(target.filePath), { recursive: true });
  } catch (error) {
    throw toDatabaseError(error, target);
  }
}

/** Turns a schema-engine rejection into one line, preferring the driver's own error when there is one. */
function engineError(error: unknown, driverError: unknown, target: DatabaseTarget): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;

  // P3009: an earlier attempt failed and is recorded as such; the engine refuses to continue.
  if (code === "P3009") {
    const name = /The `([^`]+)` migration/.exec(message)?.[1] ?? "A migration";
    return new DatabaseError(
      "failed_migration_in_history",
      `Migration ${name} failed on an earlier run and is marked failed in _prisma_migrations: repair the database, then run npm run db:migrate -- --rolled-back ${name} and migrate again.`,
      { cause: error },
    );
  }

  // The engine waits 10 s for PostgreSQL's migration advisory lock, then gives up.
  if (/advisory lock/i.test(message)) {
    return new DatabaseError(
      "migration_in_progress",
      `Another deploy is applying migrations to ${target.description} (its lock was held for over 10 s). Run npm run db:migrate again when it has finished.`,
      { cause: error },
    );
  }

  const failedMigration = /migration_name="([^"]+)"/.exec(message)?.[1];
  if (failedMigration) {
    const reason = driverError !== undefined ? driverReason(driverError, target) : firstLine(message.replace(/^external connector error\s*/i, ""), target);
    return new DatabaseError("migration_failed", `Migration ${failedMigration} failed: ${reason}`, { cause: error });
  }

  // Connection failures: the driver's error classifies precisely (refused, unknown host, password).
  if (driverError !== undefined) {
    const classified = toDatabaseError(driverError, target);
    if (classified.code !== "unexpected") return classified;
  }
  if (/Can't reach database server/i.test(message)) {
    return toDatabaseError({ message, code: "ECONNREFUSED" }, target);
  }
  return new DatabaseError("unexpected", `Migrating ${target.description} failed: ${firstLine(message, target)}`, { cause: error });
}

/**
 * The database's reason for a failed statement: `relation "x" does not exist (42P01)` on
 * PostgreSQL (with the SQLSTATE, which is searchable), `no such table: x` on SQLite.
 */
function driverReason(error: unknown, target: DatabaseTarget): string {
  const cause = (error as { cause?: Record<string, unknown> }).cause;
  if (cause && typeof cause === "object") {
    const text = typeof cause.originalMessage === "string" ? cause.originalMessage : typeof cause.message === "string" ? cause.message : undefined;
    if (text && target.provider === "sqlite") return firstLine(text.replace(/^SQLITE_[A-Z_]+:\s*/, ""));
    const code = typeof cause.originalCode === "string" ? cause.originalCode : typeof cause.code === "string" ? cause.code : undefined;
    if (text) return `${firstLine(text, target)}${code ? ` (${code})` : ""}`;
    if (typeof cause.kind === "string") return cause.kind;
  }
  return firstLine(error instanceof Error ? error.message : String(error), target);
}
