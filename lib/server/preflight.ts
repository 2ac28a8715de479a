import { exportNextAuthUrl, getEnv, type PortalEnv } from "@/lib/env";
import { setLogLevel, logInfo } from "@/lib/log";
import { applyMigrations, getMigrationStatus } from "@/lib/db/migrate";
import { getSessionSecret } from "@/lib/auth/session-secret";
import { initVault } from "@/lib/vault/vault";
import { checkVaultCanary } from "@/lib/vault/vault-canary";

// Everything that must hold before the portal serves a request. Each failure is thrown as a
// StartupError whose message is the one line an operator needs.

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

async function step<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new StartupError(`${what}: ${message}`);
  }
}

export async function preflight(): Promise<PortalEnv> {
  const env = await step("Configuration", () => getEnv());
  setLogLevel(env.LOG_LEVEL);
  exportNextAuthUrl(env);
  if (env.autoMigrate) {
    const { applied } = await step("Database migration", () => applyMigrations({ databaseUrl: env.databaseUrl }));
    if (applied.length > 0) logInfo(`Applied ${applied.length} database migration(s): ${applied.join(", ")}`);
  } else {
    const status = await step("Database", () => getMigrationStatus({ databaseUrl: env.databaseUrl }));
    if (status.pending.length > 0) {
      throw new StartupError(
        `Database: ${status.pending.length} migration(s) pending (${status.pending.join(", ")}). Run npm run db:migrate with the same DATABASE_URL, then start again.`,
      );
    }
  }
  // Several instances on PostgreSQL must share one key, so none of them may invent its own.
  await step("Encryption key", () => initVault({ createIfMissing: env.databaseProvider === "sqlite" }));
  await step("Session secret", () => getSessionSecret());
  await step("Encryption key check", () => checkVaultCanary());
  return env;
}
