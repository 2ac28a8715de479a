import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Start-up refuses bad configuration with one clear line on stderr, never a stack trace alone.

const root = path.resolve(import.meta.dirname, "../..");

function start(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-"));
  const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["lib/server/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORTAL_DATA_DIR: dataDir, NODE_ENV: "production", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { status: result.status, stderr: result.stderr.trim(), stdout: result.stdout };
}

describe("start-up refusals", () => {
  it("names a malformed encryption key and how to make one", () => {
    const r = start({ PORTAL_ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") });
    expect(r.status).toBe(1);
    expect(r.stderr.split("\n")).toHaveLength(1);
    expect(r.stderr).toBe(
      "Cannot start the Mailbox OAuth Portal. Encryption key: PORTAL_ENCRYPTION_KEY decodes to 16 bytes; it must be the base64 of exactly 32 random bytes (make one with: openssl rand -base64 32).",
    );
  });

  it("names an invalid variable", () => {
    const r = start({ PORT: "http" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Cannot start the Mailbox OAuth Portal\. Configuration: PORT is invalid/);
    expect(r.stderr.split("\n")).toHaveLength(1);
  });

  it("says the database cannot be reached without printing its password", () => {
    const r = start({ DATABASE_URL: "postgresql://portal:Sup3rSecretPw@127.0.0.1:1/portal" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Cannot start the Mailbox OAuth Portal\. Database/);
    expect(r.stderr).toMatch(/127\.0\.0\.1:1/);
    expect(r.stderr).not.toContain("Sup3rSecretPw");
    expect(r.stderr.split("\n")).toHaveLength(1);
  });
});

describe("start-up on PostgreSQL", () => {
  it("does not invent an encryption key for several instances", async () => {
    const { startThrowawayPostgres } = await import("../../e2e/support/postgres");
    const { applyMigrations } = await import("@/lib/db/migrate");
    const pg = await startThrowawayPostgres();
    try {
      await applyMigrations({ databaseUrl: pg.url });
      const r = start({ DATABASE_URL: pg.url });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^Cannot start the Mailbox OAuth Portal\. Encryption key: No encryption key: set PORTAL_ENCRYPTION_KEY/);
    } finally {
      await pg.stop();
    }
  }, 60_000);
});
