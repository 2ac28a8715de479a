import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";
import type { DatabaseTarget, PostgresTarget } from "@/lib/db/database-url";
import { PortalLibSql } from "@/lib/db/libsql-adapter";

// Driver adapters for the WASM schema engine. The stock adapters serve Prisma Client well but
// trip the migration engine in three places (see /work/shared/reference/toolchain-offline.md):
//  - SQLite: the engine replays a migration into the shadow database with one argument-less
//    executeRaw holding the whole script; libsql runs only its first statement, silently.
//  - PostgreSQL: adapter-pg's executeScript splits on every ";" (also inside strings and
//    function bodies), and its shadow-database helper drops the database with its pool open.
//  - PostgreSQL introspection reads `"char"` columns (oid 18) that adapter-pg cannot map.

export interface MigrationConnection {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** The last error a driver threw: the engine reports it only as text, this keeps the detail. */
  lastDriverError(): unknown;
  close(): Promise<void>;
}

export interface MigrationConnectionOptions {
  /**
   * PostgreSQL only: a server URL (any database on it) where throwaway shadow databases may be
   * created and dropped. Needed to diff from a migrations folder, never to apply migrations.
   */
  shadowServerUrl?: string;
}

export function openMigrationConnection(target: DatabaseTarget, options: MigrationConnectionOptions = {}): MigrationConnection {
  return target.provider === "sqlite" ? openSqlite(target.filePath) : openPostgres(target, options);
}

/** A connection for commands that need no real database (diffs): SQLite in a temp file. */
export async function openScratchSqliteConnection(): Promise<MigrationConnection> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "portal-sqlite-scratch-"));
  const connection = openSqlite(path.join(dir, "scratch.db"));
  return {
    ...connection,
    async close() {
      await connection.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function openSqlite(filePath: string): MigrationConnection {
  const recorder = new ErrorRecorder();
  const base = new PortalLibSql(filePath);
  const adapters: SqlDriverAdapter[] = [];
  const wrap = (inner: SqlDriverAdapter) => {
    const adapter = new MigrationAdapter(inner, recorder, "sqlite");
    adapters.push(adapter);
    return adapter;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "sqlite",
    adapterName: base.adapterName,
    connect: async () => wrap(await recorder.capture(() => base.connect())),
    // libsql's shadow database is ":memory:", which is what we want.
    connectToShadowDb: async () => wrap(await recorder.capture(() => base.connectToShadowDb())),
  };
  return {
    factory,
    lastDriverError: () => recorder.last,
    close: () => disposeAll(adapters),
  };
}

function openPostgres(target: PostgresTarget, options: MigrationConnectionOptions): MigrationConnection {
  const recorder = new ErrorRecorder();
  const pools: pg.Pool[] = [];
  const adapters: SqlDriverAdapter[] = [];
  const pgOptions = target.schema ? { schema: target.schema } : undefined;

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: async () => {
      const pool = migrationPool(target.connectionString, target.schema);
      pools.push(pool);
      const inner = await recorder.capture(() => new PrismaPg(pool, pgOptions).connect());
      const adapter = new MigrationAdapter(inner, recorder, "postgres");
      adapters.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      if (!options.shadowServerUrl) {
        throw new Error("A PostgreSQL shadow database is needed for this command but no shadow server was given.");
      }
      const shadow = await createShadowDatabase(options.shadowServerUrl);
      const pool = migrationPool(shadow.url, null);
      const inner = await recorder.capture(() => new PrismaPg(pool).connect());
      // Drop the database only after its pool has closed: PostgreSQL refuses while sessions remain.
      const adapter = new MigrationAdapter(inner, recorder, "postgres", async () => {
        await pool.end();
        await shadow.drop();
      });
      adapters.push(adapter);
      return adapter;
    },
  };
  return {
    factory,
    lastDriverError: () => recorder.last,
    async close() {
      await disposeAll(adapters);
      await Promise.allSettled(pools.map((pool) => pool.end()));
    },
  };
}

/**
 * One connection only: the engine serialises concurrent deploys with a session-level advisory
 * lock, which protects nothing if the migration's statements run on other pooled sessions.
 * No idle timeout, so the session (and the lock) lives as long as the run.
 */
function migrationPool(connectionString: string, schema: string | null): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: 1,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: 10_000,
    // Unqualified DDL in migration.sql must land in Prisma's ?schema= when one is given.
    options: schema ? `-c search_path=${quoteIdent(schema)}` : undefined,
  });
  // An idle connection dropped by the server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  mapCharColumnsToText(pool);
  return pool;
}

const pgCharOid = 18;
const pgTextOid = 25;

/** adapter-pg 7.10 rejects result columns of type "char" (catalog flags such as relkind); they are text. */
function mapCharColumnsToText(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as (config: string | pg.QueryConfig) => Promise<pg.QueryResult | pg.QueryResult[]>;
  const patched = async (config: string | pg.QueryConfig) => {
    const result = await query(config);
    for (const part of Array.isArray(result) ? result : [result]) {
      for (const field of part.fields ?? []) if (field.dataTypeID === pgCharOid) field.dataTypeID = pgTextOid;
    }
    return result;
  };
  Object.assign(pool, { query: patched });
}

async function createShadowDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } catch (error) {
    await admin.end();
    throw error;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  url.searchParams.delete("schema");
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      } finally {
        await admin.end();
      }
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function disposeAll(adapters: SqlDriverAdapter[]): Promise<void> {
  const pending = adapters.splice(0);
  await Promise.allSettled(pending.map((adapter) => adapter.dispose()));
}

class ErrorRecorder {
  last: unknown = undefined;
  async capture<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.last = error;
      throw error;
    }
  }
}

/** Delegates to a stock adapter, rerouting the calls the migration engine needs handled differently. */
class MigrationAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  private disposed = false;

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly recorder: ErrorRecorder,
    private readonly dialect: "sqlite" | "postgres",
    private readonly afterDispose?: () => Promise<void>,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.recorder.capture(() => this.inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    if (this.dialect === "sqlite" && query.args.length === 0) {
      // A whole script (shadow-database replay): run every statement, not just the first.
      return this.recorder.capture(async () => {
        await this.inner.executeScript(query.sql);
        return 0;
      });
    }
    return this.recorder.capture(() => this.inner.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    if (this.dialect === "postgres") {
      // Without parameters pg uses the simple query protocol, which accepts many statements
      // in one message and lets the server parse them (and runs them as one implicit transaction).
      return this.recorder.capture(async () => {
        await this.inner.executeRaw({ sql: script, args: [], argTypes: [] });
      });
    }
    return this.recorder.capture(() => this.inner.executeScript(script));
  }

  startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    return this.recorder.capture(() => this.inner.startTransaction(isolationLevel));
  }

  getConnectionInfo(): ConnectionInfo {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: this.dialect === "postgres" };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    try {
      await this.inner.dispose();
    } finally {
      await this.afterDispose?.();
    }
  }
}
