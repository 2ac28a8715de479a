import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { parseDatabaseUrl } from "@/lib/db/database-url";
import { type MigrationConnection, openMigrationConnection, openScratchSqliteConnection } from "@/lib/db/migration-adapter";
import {
  migrationLockContent,
  migrationLockFileName,
  prismaPaths,
  projectRoot,
  readMigrationList,
} from "@/lib/db/migrations-folder";
import { writePostgresSchema } from "@/lib/db/postgres-schema";
import { noFilters, withSchemaEngine } from "@/lib/db/schema-engine";
// A dev tool: the PostgreSQL diff needs a shadow database, and the throwaway cluster the
// integration tests use is exactly that (no Docker, no shared server needed).
import { startThrowawayPostgres } from "@/e2e/support/postgres";

// npm run db:migration:new -- <name>
// After editing prisma/schema.prisma: derives the PostgreSQL schema, replays each provider's
// migrations folder into an empty shadow database (SQLite in memory, PostgreSQL in a throwaway
// cluster), diffs that against the schema and writes the difference as a new migration folder
// for each provider, under the same <timestamp>_<name>.

function migrationName(raw: string | undefined): string {
  const name = (raw ?? "")
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!name) {
    console.error("Usage: npm run db:migration:new -- <name>   (e.g. add_mailbox_table)");
    process.exit(1);
  }
  return name;
}

function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

async function diffProvider(provider: DatabaseProvider, connection: MigrationConnection): Promise<string | null> {
  const { schemaPath, migrationsDir } = prismaPaths(provider);
  const content = await readFile(schemaPath, "utf8");
  const migrationsList = await readMigrationList(migrationsDir);
  const lock = migrationsList.lockfile.content;
  if (lock === null) {
    // First migration: the engine learns the connector from the lock file, written with it below.
    migrationsList.lockfile.content = migrationLockContent(provider);
  } else if (!lock.includes(`provider = "${provider}"`)) {
    throw new Error(`${path.join(migrationsDir, migrationLockFileName)} names another provider than ${provider}.`);
  }
  const result = await withSchemaEngine({ path: path.basename(schemaPath), content }, connection, (engine) =>
    engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content }] },
      script: true,
      // exitCode 2 = the schemas differ, 0 = nothing to migrate.
      exitCode: true,
      filters: noFilters,
    }),
  );
  return result.exitCode === 2 && result.stdout ? result.stdout : null;
}

async function diffPostgres(): Promise<string | null> {
  const server = await startThrowawayPostgres({ database: "migration_diff" }).catch((error: unknown) => {
    throw new Error(
      `The PostgreSQL migration needs a shadow database, started from the local PostgreSQL binaries: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  try {
    const target = parseDatabaseUrl(server.url);
    return await diffProvider("postgresql", openMigrationConnection(target, { shadowServerUrl: server.adminUrl }));
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const name = migrationName(process.argv.slice(2).find((arg) => !arg.startsWith("-")));
  const root = projectRoot();
  const schema = await writePostgresSchema(root);
  if (schema.changed) console.log(`Wrote ${path.relative(root, schema.path)}.`);

  // allSettled: a failure on one side must not exit before the other has cleaned up (the
  // PostgreSQL side stops its throwaway cluster).
  const [sqliteResult, postgresResult] = await Promise.allSettled([
    openScratchSqliteConnection().then((connection) => diffProvider("sqlite", connection)),
    diffPostgres(),
  ]);
  if (sqliteResult.status === "rejected") throw sqliteResult.reason;
  if (postgresResult.status === "rejected") throw postgresResult.reason;
  const [sqliteScript, postgresScript] = [sqliteResult.value, postgresResult.value];
  if (sqliteScript === null && postgresScript === null) {
    console.log("No schema changes: the migrations already match prisma/schema.prisma. Nothing written.");
    return;
  }

  const folder = `${timestamp()}_${name}`;
  const scripts: [DatabaseProvider, string | null][] = [
    ["sqlite", sqliteScript],
    ["postgresql", postgresScript],
  ];
  for (const [provider, script] of scripts) {
    const { migrationsDir } = prismaPaths(provider, root);
    if (script === null) {
      console.log(`${provider}: no difference for this provider, no migration written.`);
      continue;
    }
    const dir = path.join(migrationsDir, folder);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), script);
    const lockPath = path.join(migrationsDir, migrationLockFileName);
    if (!existsSync(lockPath)) await writeFile(lockPath, migrationLockContent(provider));
    console.log(`Created ${path.relative(root, path.join(dir, "migration.sql"))}`);
  }
  console.log("Review the SQL, then apply it with npm run db:migrate and commit the new folders.");
}

main().then(
  // Exit now: the WASM engine leaves a 10 s timer behind after PostgreSQL migrations (its
  // advisory-lock timeout is never cleared), which would keep the process alive for nothing.
  // stdout/stderr writes to files, pipes and terminals are synchronous on Linux, so nothing is lost.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
