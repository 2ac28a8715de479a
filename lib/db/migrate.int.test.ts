import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createClient } from "@libsql/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getFreePort } from "@/e2e/support/free-port";
import { type ThrowawayPostgres, startThrowawayPostgres } from "@/e2e/support/postgres";
import { DatabaseError } from "@/lib/db/database-error";
import { applyMigrations, getMigrationStatus, markMigrationRolledBack } from "@/lib/db/migrate";
import { listMigrationNames, prismaPaths, projectRoot } from "@/lib/db/migrations-folder";

const execFileAsync = promisify(execFile);
const modelTables = ["Account", "AuditEvent", "Lease", "Session", "Setting", "SignInThrottle", "User", "VerificationToken"];

async function checksums(provider: "sqlite" | "postgresql"): Promise<Map<string, string>> {
  const dir = prismaPaths(provider).migrationsDir;
  const out = new Map<string, string>();
  for (const name of await listMigrationNames(dir)) {
    const sql = await readFile(path.join(dir, name, "migration.sql"));
    out.set(name, createHash("sha256").update(sql).digest("hex"));
  }
  return out;
}

/** A copy of the provider's migrations plus one migration that fails, in a temp folder. */
async function migrationsWithBrokenStep(provider: "sqlite" | "postgresql", tmp: string): Promise<{ dir: string; broken: string }> {
  const dir = path.join(tmp, `${provider}-migrations`);
  await cp(prismaPaths(provider).migrationsDir, dir, { recursive: true });
  const broken = "29991231000000_broken";
  await mkdir(path.join(dir, broken));
  await writeFile(path.join(dir, broken, "migration.sql"), 'CREATE TABLE "Extra" ("id" TEXT NOT NULL PRIMARY KEY);\nALTER TABLE "Nope" ADD COLUMN "x" TEXT;\n');
  return { dir, broken };
}

async function repairBrokenStep(dir: string, broken: string): Promise<void> {
  await writeFile(path.join(dir, broken, "migration.sql"), 'CREATE TABLE "Extra" ("id" TEXT NOT NULL PRIMARY KEY);\n');
}

let tmp: string;
let allSqlite: string[];
let allPostgres: string[];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "portal-migrate-test-"));
  allSqlite = await listMigrationNames(prismaPaths("sqlite").migrationsDir);
  allPostgres = await listMigrationNames(prismaPaths("postgresql").migrationsDir);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("migrations folders", () => {
  it("hold the same migrations for both providers, in the standard layout", async () => {
    expect(allSqlite.length).toBeGreaterThan(0);
    expect(allPostgres).toEqual(allSqlite);
    for (const name of allSqlite) expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
    await expect(readFile(path.join(prismaPaths("sqlite").migrationsDir, "migration_lock.toml"), "utf8")).resolves.toContain('provider = "sqlite"');
    await expect(readFile(path.join(prismaPaths("postgresql").migrationsDir, "migration_lock.toml"), "utf8")).resolves.toContain('provider = "postgresql"');
  });
});

describe("SQLite", () => {
  it("creates the parent directory, applies all migrations once, then nothing", async () => {
    const file = path.join(tmp, "not", "yet", "there", "portal.db");
    const databaseUrl = `file:${file}`;

    await expect(getMigrationStatus({ databaseUrl })).resolves.toEqual({ pending: allSqlite, applied: [], failed: [] });
    await expect(applyMigrations({ databaseUrl })).resolves.toEqual({ applied: allSqlite });
    await expect(applyMigrations({ databaseUrl })).resolves.toEqual({ applied: [] });
    await expect(getMigrationStatus({ databaseUrl })).resolves.toEqual({ pending: [], applied: allSqlite, failed: [] });

    const client = createClient({ url: `file:${file}` });
    try {
      const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
      expect(tables.rows.map((row) => String(row.name))).toEqual(expect.arrayContaining([...modelTables, "_prisma_migrations"]));
      // The rows `prisma migrate deploy` would write: same names, checksum = sha256 of migration.sql.
      const rows = await client.execute("SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations");
      const expected = await checksums("sqlite");
      expect(rows.rows).toHaveLength(expected.size);
      for (const row of rows.rows) {
        expect(String(row.checksum)).toBe(expected.get(String(row.migration_name)));
        expect(row.finished_at).not.toBeNull();
        expect(Number(row.applied_steps_count)).toBe(1);
      }
    } finally {
      client.close();
    }
  });

  it("serialises concurrent runs on one file: one applies, the other finds nothing to do", async () => {
    const databaseUrl = `file:${path.join(tmp, "concurrent.db")}`;
    const results = await Promise.all([applyMigrations({ databaseUrl }), applyMigrations({ databaseUrl }), applyMigrations({ databaseUrl })]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(allSqlite);
    await expect(getMigrationStatus({ databaseUrl })).resolves.toEqual({ pending: [], applied: allSqlite, failed: [] });
  });

  it("reports a failing migration by name and reason, refuses to continue, and resumes after rollback", async () => {
    const databaseUrl = `file:${path.join(tmp, "broken.db")}`;
    const { dir, broken } = await migrationsWithBrokenStep("sqlite", tmp);

    const failure = await applyMigrations({ databaseUrl, migrationsDir: dir }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DatabaseError);
    expect((failure as DatabaseError).code).toBe("migration_failed");
    expect((failure as DatabaseError).message).toBe(`Migration ${broken} failed: no such table: Nope`);
    await expect(getMigrationStatus({ databaseUrl, migrationsDir: dir })).resolves.toEqual({ pending: [broken], applied: allSqlite, failed: [broken] });

    await expect(applyMigrations({ databaseUrl, migrationsDir: dir })).rejects.toMatchObject({ code: "failed_migration_in_history" });

    await repairBrokenStep(dir, broken);
    // The SQLite script ran in part (CREATE TABLE "Extra" committed): repair by hand, as an operator would.
    const client = createClient({ url: databaseUrl });
    await client.execute('DROP TABLE IF EXISTS "Extra"');
    client.close();
    await markMigrationRolledBack({ databaseUrl, migrationName: broken });
    await expect(applyMigrations({ databaseUrl, migrationsDir: dir })).resolves.toEqual({ applied: [broken] });
  });

  it("says clearly when a database file cannot be used", async () => {
    const notADatabase = path.join(tmp, "garbage.db");
    await writeFile(notADatabase, "this is not sqlite, just long enough to have a header...............................................");
    await expect(applyMigrations({ databaseUrl: `file:${notADatabase}` })).rejects.toMatchObject({
      code: "sqlite_cannot_open",
      message: expect.stringMatching(/^Cannot open SQLite database .*garbage\.db: .*not a database/),
    });
    const underAFile = `file:${path.join(notADatabase, "sub", "portal.db")}`;
    await expect(applyMigrations({ databaseUrl: underAFile })).rejects.toMatchObject({ code: "sqlite_cannot_open" });
  });

  it("refuses to report 'up to date' when there are no migration folders", async () => {
    const empty = path.join(tmp, "no-migrations");
    await mkdir(empty);
    await expect(getMigrationStatus({ databaseUrl: `file:${path.join(tmp, "x.db")}`, migrationsDir: empty })).rejects.toMatchObject({
      code: "migrations_missing",
    });
  });
});

describe("PostgreSQL", () => {
  let server: ThrowawayPostgres;
  const databases: string[] = [];

  /** A fresh, empty database on the throwaway server. */
  async function freshDatabase(name: string): Promise<string> {
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    databases.push(name);
    return server.url.replace(/\/[^/]+$/, `/${name}`);
  }

  beforeAll(async () => {
    server = await startThrowawayPostgres();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("applies all migrations once, then nothing, writing the standard history rows", async () => {
    const databaseUrl = server.url;
    await expect(getMigrationStatus({ databaseUrl })).resolves.toEqual({ pending: allPostgres, applied: [], failed: [] });
    await expect(applyMigrations({ databaseUrl })).resolves.toEqual({ applied: allPostgres });
    await expect(applyMigrations({ databaseUrl })).resolves.toEqual({ applied: [] });
    await expect(getMigrationStatus({ databaseUrl })).resolves.toEqual({ pending: [], applied: allPostgres, failed: [] });

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining([...modelTables, "_prisma_migrations"]));
      const rows = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        "SELECT migration_name, checksum, finished_at FROM _prisma_migrations",
      );
      const expected = await checksums("postgresql");
      expect(rows.rows).toHaveLength(expected.size);
      for (const row of rows.rows) {
        expect(row.checksum).toBe(expected.get(row.migration_name));
        expect(row.finished_at).toBeInstanceOf(Date);
      }
    } finally {
      await client.end();
    }
  });

  it("serialises concurrent deploys in one process: one applies, the other finds nothing to do", async () => {
    const databaseUrl = await freshDatabase("concurrent_in_process");
    const results = await Promise.all([applyMigrations({ databaseUrl }), applyMigrations({ databaseUrl })]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(allPostgres);
    await expect(getMigrationStatus({ databaseUrl })).resolves.toMatchObject({ pending: [], applied: allPostgres });
  });

  it("waits for another deploy that holds the migration lock instead of failing", async () => {
    const databaseUrl = await freshDatabase("lock_holder");
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock(7270736901)");
    const started = Date.now();
    const release = setTimeout(() => void holder.end(), 1500);
    try {
      await expect(applyMigrations({ databaseUrl })).resolves.toEqual({ applied: allPostgres });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    } finally {
      clearTimeout(release);
      await holder.end().catch(() => undefined);
    }
  });

  it("serialises concurrent deploys from separate processes (npm run db:migrate twice)", async () => {
    const databaseUrl = await freshDatabase("concurrent_processes");
    const run = () =>
      execFileAsync(process.execPath, ["--import", "tsx", path.join("lib", "cli", "db-migrate.ts")], {
        cwd: projectRoot(),
        env: { ...process.env, DATABASE_URL: databaseUrl },
        timeout: 60_000,
      });
    const outputs = await Promise.all([run(), run()]);
    const stdout = outputs.map((o) => o.stdout).join("\n");
    expect(stdout).toContain("Database is up to date.");
    expect(stdout).toContain(`Applied ${allPostgres.length} migration`);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const count = await client.query<{ n: string }>("SELECT count(*) AS n FROM _prisma_migrations");
    await client.end();
    expect(Number(count.rows[0]!.n)).toBe(allPostgres.length);
  });

  it("reports a failing migration with the server's reason; the failed script left nothing behind", async () => {
    const databaseUrl = await freshDatabase("broken_migration");
    const { dir, broken } = await migrationsWithBrokenStep("postgresql", tmp);
    await expect(applyMigrations({ databaseUrl, migrationsDir: dir })).rejects.toMatchObject({
      code: "migration_failed",
      message: `Migration ${broken} failed: relation "Nope" does not exist (42P01)`,
    });
    await expect(applyMigrations({ databaseUrl, migrationsDir: dir })).rejects.toMatchObject({ code: "failed_migration_in_history" });

    // The whole script is one implicit transaction on PostgreSQL: "Extra" was rolled back with it.
    await repairBrokenStep(dir, broken);
    await markMigrationRolledBack({ databaseUrl, migrationName: broken });
    await expect(applyMigrations({ databaseUrl, migrationsDir: dir })).resolves.toEqual({ applied: [broken] });
  });

  it("runs a migration whose SQL has semicolons inside strings and function bodies as written", async () => {
    const databaseUrl = await freshDatabase("semicolons");
    const dir = path.join(tmp, "pg-semicolons");
    await cp(prismaPaths("postgresql").migrationsDir, dir, { recursive: true });
    const name = "29991231000000_semicolons";
    await mkdir(path.join(dir, name));
    await writeFile(
      path.join(dir, name, "migration.sql"),
      [
        `CREATE TABLE "Note" ("id" TEXT PRIMARY KEY, "text" TEXT NOT NULL DEFAULT 'a;b');`,
        `CREATE FUNCTION note_count() RETURNS bigint LANGUAGE plpgsql AS $$ DECLARE n bigint; BEGIN SELECT count(*) INTO n FROM "Note"; RETURN n; END; $$;`,
        `INSERT INTO "Note" ("id") VALUES ('x;y');`,
      ].join("\n"),
    );
    await expect(applyMigrations({ databaseUrl, migrationsDir: dir })).resolves.toEqual({ applied: [...allPostgres, name] });
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const row = await client.query<{ id: string; text: string; n: string }>(`SELECT "id", "text", note_count() AS n FROM "Note"`);
    await client.end();
    expect(row.rows).toEqual([{ id: "x;y", text: "a;b", n: "1" }]);
  });

  it("gives one clear line for an unreachable server, a wrong password and a missing database, never the password", async () => {
    const port = await getFreePort();
    const secret = "Sup3r-Secret-pw";
    const refused = await applyMigrations({ databaseUrl: `postgresql://portal:${secret}@127.0.0.1:${port}/portal` }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DatabaseError);
    expect((refused as DatabaseError).code).toBe("unreachable");
    expect((refused as DatabaseError).message).toBe(`Cannot reach PostgreSQL at 127.0.0.1:${port}: connection refused. Check DATABASE_URL.`);

    const wrongPassword = server.url.replace(`:${server.password}@`, `:${secret}@`);
    const denied = await applyMigrations({ databaseUrl: wrongPassword }).catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: "authentication_failed" });
    expect((denied as Error).message).toMatch(/rejected the password for user "postgres"/);

    const missing = await getMigrationStatus({ databaseUrl: server.url.replace(/\/[^/]+$/, "/does_not_exist") }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: "database_not_found", message: expect.stringContaining('Database "does_not_exist" does not exist') });

    for (const error of [refused, denied, missing]) {
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message).not.toContain(server.password);
      expect((error as Error).message.split("\n")).toHaveLength(1);
    }

    await expect(applyMigrations({ databaseUrl: "mysql://x" })).rejects.toMatchObject({ code: "invalid_url" });
  });
});
