import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import type { MigrationConnection } from "@/lib/db/migration-adapter";

// Prisma's schema engine compiled to WebAssembly, driven through a driver adapter. The
// native engine that `prisma migrate` downloads is not reachable from these machines; this
// one ships in an npm package and speaks to the database through our migration adapters.

type EngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

let enginePromise: Promise<EngineModule> | null = null;

/**
 * Loads the WASM module once per process. The package's entry point imports the .wasm file as
 * an ES module, which Node 20 supports only behind a flag, so it is instantiated by hand here.
 */
function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue: EngineModule = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return glue;
  })();
  enginePromise.catch(() => {
    enginePromise = null;
  });
  return enginePromise;
}

export const noFilters = { externalTables: [], externalEnums: [] };

/**
 * Runs `work` with a schema engine connected through `connection`, then frees the engine and
 * closes the connection (which also releases PostgreSQL's migration advisory lock).
 */
export async function withSchemaEngine<T>(
  schema: { path: string; content: string },
  connection: MigrationConnection,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const glue = await loadEngineModule();
  try {
    const engine = await glue.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      // The engine logs JSON lines (tracing spans); failures reach us as rejections instead.
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(connection.factory),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    await connection.close();
  }
}
