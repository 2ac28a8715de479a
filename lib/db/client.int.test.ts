import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type ThrowawayPostgres, startThrowawayPostgres } from "@/e2e/support/postgres";
import { closeDb, type Db, getDb, isUniqueConstraintError } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";

// getDb() reads DATABASE_URL through getEnv(); each suite points it at its own database.
function useDatabase(databaseUrl: string): void {
  vi.stubEnv("DATABASE_URL", databaseUrl);
  resetEnvForTests();
}

/** The same checks on either provider: the API is one, whatever the database. */
async function exerciseUsers(db: Db): Promise<void> {
  const created = await db.user.create({ data: { email: "ada@example.com", name: "Ada", role: "admin" } });
  expect(created.id).toMatch(/^c[a-z0-9]{20,}$/);
  expect(created.createdAt).toBeInstanceOf(Date);

  const found = await db.user.findUnique({ where: { email: "ada@example.com" } });
  expect(found).toMatchObject({ id: created.id, name: "Ada", role: "admin", disabled: false, passwordHash: null });
  expect(found?.createdAt.getTime()).toBe(created.createdAt.getTime());

  const duplicate = await db.user.create({ data: { email: "ada@example.com" } }).catch((e: unknown) => e);
  expect(isUniqueConstraintError(duplicate)).toBe(true);
  expect(isUniqueConstraintError(new Error("something else"))).toBe(false);

  // Relations and the cascade declared in the schema hold (foreign keys are enforced).
  await db.account.create({ data: { userId: created.id, type: "oauth", provider: "azure-ad", providerAccountId: "a-1" } });
  await expect(
    db.account.create({ data: { userId: "no-such-user", type: "oauth", provider: "azure-ad", providerAccountId: "a-2" } }),
  ).rejects.toThrow();
  await db.user.delete({ where: { id: created.id } });
  await expect(db.account.count()).resolves.toBe(0);

  // An interactive transaction commits, and rolls back on error.
  await db.$transaction(async (tx) => {
    await tx.user.create({ data: { email: "grace@example.com" } });
  });
  await expect(
    db.$transaction(async (tx) => {
      await tx.user.create({ data: { email: "linus@example.com" } });
      throw new Error("abort");
    }),
  ).rejects.toThrow("abort");
  await expect(db.user.findMany({ select: { email: true }, orderBy: { email: "asc" } })).resolves.toEqual([{ email: "grace@example.com" }]);
}

afterEach(async () => {
  await closeDb();
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe("SQLite (libsql adapter)", () => {
  let tmp: string;
  let databaseUrl: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "portal-client-test-"));
    databaseUrl = `file:${path.join(tmp, "portal.db")}`;
    await applyMigrations({ databaseUrl });
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("creates and reads users", async () => {
    useDatabase(databaseUrl);
    await exerciseUsers(getDb());
  });

  it("runs with WAL, busy_timeout, foreign keys and synchronous=NORMAL, also after a transaction", async () => {
    useDatabase(databaseUrl);
    const db = getDb();
    const pragmas = async () => ({
      journal: await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode"),
      busy: await db.$queryRawUnsafe<{ timeout: number | bigint }[]>("PRAGMA busy_timeout"),
      fk: await db.$queryRawUnsafe<{ foreign_keys: number | bigint }[]>("PRAGMA foreign_keys"),
      sync: await db.$queryRawUnsafe<{ synchronous: number | bigint }[]>("PRAGMA synchronous"),
    });
    const expectSettings = (p: Awaited<ReturnType<typeof pragmas>>) => {
      expect(p.journal[0]?.journal_mode).toBe("wal");
      expect(Number(p.busy[0]?.timeout)).toBe(5000);
      expect(Number(p.fk[0]?.foreign_keys)).toBe(1);
      expect(Number(p.sync[0]?.synchronous)).toBe(1);
    };
    expectSettings(await pragmas());
    await db.$transaction(async (tx) => {
      await tx.setting.create({ data: { key: "k", value: "{}" } });
    });
    expectSettings(await pragmas());
  });

  it("is one client per process, replaced when DATABASE_URL changes", async () => {
    useDatabase(databaseUrl);
    const first = getDb();
    expect(getDb()).toBe(first);
    await closeDb();
    expect(getDb()).not.toBe(first);
  });
});

describe("PostgreSQL (pg adapter)", () => {
  let server: ThrowawayPostgres;

  beforeAll(async () => {
    server = await startThrowawayPostgres();
    await applyMigrations({ databaseUrl: server.url });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("creates and reads users", async () => {
    useDatabase(server.url);
    await exerciseUsers(getDb());
  });
});
