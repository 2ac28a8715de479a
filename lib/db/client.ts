import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "@/lib/env";
import { type DatabaseTarget, parseDatabaseUrl } from "@/lib/db/database-url";
import { PortalLibSql } from "@/lib/db/libsql-adapter";
import { PrismaClient as PostgresPrismaClient } from "@/lib/db/generated/postgresql/client";
import { PrismaClient as SqlitePrismaClient } from "@/lib/db/generated/sqlite/client";

// The Prisma client for DATABASE_URL: SQLite (the default, one instance) through libsql, or
// PostgreSQL (several instances) through pg. Both clients are generated from the same models
// and have the same API, so callers see one type, `Db`.

export type Db = SqlitePrismaClient;

function createClient(target: DatabaseTarget): Db {
  if (target.provider === "sqlite") {
    // WAL, busy_timeout, foreign keys: see lib/db/libsql-adapter.ts.
    return new SqlitePrismaClient({ adapter: new PortalLibSql(target.filePath) });
  }
  const adapter = new PrismaPg(
    { connectionString: target.connectionString, connectionTimeoutMillis: 10_000 },
    target.schema ? { schema: target.schema } : undefined,
  );
  // Same models, same generated API; only the provider-specific internals differ.
  return new PostgresPrismaClient({ adapter }) as unknown as Db;
}

interface CachedDb {
  databaseUrl: string;
  client: Db;
}

// Next.js dev reloads modules on every change; a module-level singleton would open a new
// pool each time. globalThis survives the reload.
const globalCache = globalThis as typeof globalThis & { __portalDb?: CachedDb };

/** The process-wide Prisma client for getEnv().databaseUrl. */
export function getDb(): Db {
  const { databaseUrl } = getEnv();
  const cached = globalCache.__portalDb;
  if (cached && cached.databaseUrl === databaseUrl) return cached.client;
  if (cached) {
    // The URL changed (tests switching databases): release the old client's connections.
    void cached.client.$disconnect().catch(() => undefined);
  }
  const client = createClient(parseDatabaseUrl(databaseUrl));
  globalCache.__portalDb = { databaseUrl, client };
  return client;
}

/** Disconnects the client so a CLI or test can exit; the next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const cached = globalCache.__portalDb;
  globalCache.__portalDb = undefined;
  await cached?.client.$disconnect();
}

/** True for Prisma's unique-constraint violation (P2002) from either client. */
export function isUniqueConstraintError(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { name?: unknown }).name === "PrismaClientKnownRequestError" &&
    (error as { code?: unknown }).code === "P2002"
  );
}
