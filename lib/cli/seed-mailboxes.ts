import { closeDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { applyMigrations } from "@/lib/db/migrate";
import { seedMailboxes } from "@/lib/mailboxes/seed-mailboxes";
import { initVault } from "@/lib/vault/vault";

// npm run db:seed:mailboxes -- [count]   (default 10000) into DATABASE_URL: test data for benchmarks and demos.
async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error("Give a mailbox count between 1 and 1000000.");
  const env = getEnv();
  if (env.autoMigrate) await applyMigrations({ databaseUrl: env.databaseUrl });
  initVault({ createIfMissing: env.databaseProvider === "sqlite" });
  const started = performance.now();
  const result = await seedMailboxes(count, { prefix: `seed${Date.now().toString(36)}` });
  console.log(`Created ${result.apps} app registrations and ${result.mailboxes} mailboxes in ${Math.round(performance.now() - started)} ms.`);
}

main()
  .catch((e: unknown) => {
    console.error(`Seeding failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  })
  .finally(() => void closeDb());
