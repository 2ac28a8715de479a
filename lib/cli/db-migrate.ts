import { EnvError, getEnv } from "@/lib/env";
import { DatabaseError } from "@/lib/db/database-error";
import { parseDatabaseUrl, scrubCredentials } from "@/lib/db/database-url";
import { applyMigrations, getMigrationStatus, markMigrationRolledBack } from "@/lib/db/migrate";

// npm run db:migrate                           apply pending migrations to DATABASE_URL
// npm run db:migrate -- --status               list applied and pending migrations
// npm run db:migrate -- --rolled-back <name>   after repairing a failed migration by hand,
//                                              mark it rolled back so the next run retries it
// Output is one line per outcome; failures exit 1 with one line and never show the password.

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { databaseUrl } = getEnv();
  const where = parseDatabaseUrl(databaseUrl).description;

  if (args.includes("--status")) {
    const status = await getMigrationStatus({ databaseUrl });
    console.log(`${where}: ${status.applied.length} applied, ${status.pending.length} pending.`);
    for (const name of status.pending) console.log(`  pending: ${name}${status.failed.includes(name) ? " (failed earlier)" : ""}`);
    return;
  }

  const rolledBackIndex = args.indexOf("--rolled-back");
  if (rolledBackIndex >= 0) {
    const migrationName = args[rolledBackIndex + 1];
    if (!migrationName) throw new Error("Usage: npm run db:migrate -- --rolled-back <migration folder name>");
    await markMigrationRolledBack({ databaseUrl, migrationName });
    console.log(`Marked ${migrationName} as rolled back in ${where}; run npm run db:migrate to apply it again.`);
    return;
  }

  const { applied } = await applyMigrations({ databaseUrl });
  if (applied.length === 0) {
    console.log("Database is up to date.");
  } else {
    console.log(`Applied ${applied.length} migration${applied.length === 1 ? "" : "s"} to ${where}:`);
    for (const name of applied) console.log(`  ${name}`);
  }
}

main().then(
  // Exit now: the WASM engine leaves a 10 s timer behind after PostgreSQL migrations (its
  // advisory-lock timeout is never cleared), which would keep the process alive for nothing.
  // stdout/stderr writes to files, pipes and terminals are synchronous on Linux, so nothing is lost.
  () => process.exit(0),
  (error: unknown) => {
    // DatabaseError and EnvError messages are written to be shown; anything else is scrubbed.
    const message =
      error instanceof DatabaseError
        ? error.safeMessage
        : error instanceof EnvError
          ? error.message
          : scrubCredentials(error instanceof Error ? error.message : String(error)).split("\n")[0];
    console.error(message);
    process.exit(1);
  },
);
