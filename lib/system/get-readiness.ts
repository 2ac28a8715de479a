import { getDb } from "@/lib/db/client";
import { getMigrationStatus } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";
import { getKeyRing } from "@/lib/vault/vault";

// Liveness/readiness for load balancers and monitors. It says what is wrong, never a secret.

export interface Readiness {
  status: "ok" | "unavailable";
  checks: {
    database: { ok: boolean; provider: "sqlite" | "postgresql"; error?: string };
    migrations: { ok: boolean; pending: number; error?: string };
    encryptionKey: { ok: boolean; error?: string };
  };
}

export async function getReadiness(): Promise<Readiness> {
  const env = getEnv();
  const database: Readiness["checks"]["database"] = { ok: false, provider: env.databaseProvider };
  try {
    await getDb().$queryRawUnsafe("SELECT 1");
    database.ok = true;
  } catch {
    database.error = "The database cannot be reached.";
  }
  const migrations: Readiness["checks"]["migrations"] = { ok: false, pending: 0 };
  if (database.ok) {
    try {
      const status = await getMigrationStatus({ databaseUrl: env.databaseUrl });
      migrations.pending = status.pending.length;
      migrations.ok = status.pending.length === 0;
      if (!migrations.ok) migrations.error = "Migrations are pending: run npm run db:migrate.";
    } catch {
      migrations.error = "The migration state cannot be read.";
    }
  } else {
    migrations.error = "Skipped: no database.";
  }
  const encryptionKey: Readiness["checks"]["encryptionKey"] = { ok: false };
  try {
    getKeyRing();
    encryptionKey.ok = true;
  } catch {
    encryptionKey.error = "No usable encryption key is loaded.";
  }
  const ok = database.ok && migrations.ok && encryptionKey.ok;
  return { status: ok ? "ok" : "unavailable", checks: { database, migrations, encryptionKey } };
}
