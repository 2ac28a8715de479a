import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resetEnvForTests } from "@/lib/env";
import { closeDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { initVault, resetVaultForTests } from "@/lib/vault/vault";
import { startThrowawayPostgres, type ThrowawayPostgres } from "./postgres";

// Points the portal's modules (env, db, vault) at a fresh, migrated database of the given kind in a
// fresh data directory: a real SQLite file, or a real PostgreSQL server started for the run.

export type Provider = "sqlite" | "postgresql";
export const providers: Provider[] = ["sqlite", "postgresql"];

export interface TestDatabase {
  provider: Provider;
  dataDir: string;
  databaseUrl: string;
  /** Closes the client, stops PostgreSQL, removes the data directory. */
  cleanup(): Promise<void>;
}

export async function startTestDatabase(provider: Provider, extraEnv: Record<string, string> = {}): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `portal-${provider}-`));
  let pg: ThrowawayPostgres | null = null;
  let databaseUrl = `file:${path.join(dataDir, "portal.db")}`;
  if (provider === "postgresql") {
    pg = await startThrowawayPostgres();
    databaseUrl = pg.url;
  }
  await closeDb();
  process.env.PORTAL_DATA_DIR = dataDir;
  process.env.DATABASE_URL = databaseUrl;
  delete process.env.PORTAL_ENCRYPTION_KEY;
  delete process.env.PORTAL_ENCRYPTION_PREVIOUS_KEYS;
  Object.assign(process.env, extraEnv);
  resetEnvForTests();
  resetVaultForTests();
  await applyMigrations({ databaseUrl });
  initVault();
  return {
    provider,
    dataDir,
    databaseUrl,
    async cleanup() {
      await closeDb();
      await pg?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
