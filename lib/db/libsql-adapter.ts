import { createClient } from "@libsql/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";

// The SQLite driver adapter for the portal's client and its migrations.
//
// @prisma/adapter-libsql 7.10 bundles @libsql/client 0.17, whose transaction() hands its
// connection to the transaction and opens a fresh one for everything after it (never closing
// the old one until garbage collection). Per-connection settings made at connect are then
// lost after the first interactive transaction. @libsql/client 0.18 (our direct dependency)
// pools connections and gives a transaction's connection back, so with one connection the
// settings below hold for the life of the client. The adapter serialises all work with a
// mutex anyway (also around transactions), so one connection costs no concurrency.

/**
 * busy_timeout: a writer waits for the lock instead of failing at once (also passed as
 * libsql's `timeout`, which it applies to every connection it opens). WAL: readers are not
 * blocked by a writer; persistent in the file. synchronous=NORMAL: safe with WAL, far fewer
 * fsyncs than FULL. foreign_keys: enforce the schema's relations and cascades (libsql's build
 * enables them by default; stated here so it does not depend on that).
 */
export const sqlitePragmas = [
  "PRAGMA busy_timeout = 5000",
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
];

export class PortalLibSql extends PrismaLibSql {
  constructor(filePath: string) {
    super({ url: `file:${filePath}`, timeout: 5000, concurrency: 1 });
  }

  override createClient(config: Parameters<PrismaLibSql["createClient"]>[0]): ReturnType<PrismaLibSql["createClient"]> {
    // 0.18's Client is a superset of the bundled 0.17 Client the adapter is typed against.
    return createClient(config) as unknown as ReturnType<PrismaLibSql["createClient"]>;
  }

  override async connect(): Promise<SqlDriverAdapter> {
    const adapter = await super.connect();
    await adapter.executeScript(sqlitePragmas.map((pragma) => `${pragma};`).join("\n"));
    return adapter;
  }
}
