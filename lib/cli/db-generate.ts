import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { prismaPaths, projectRoot } from "@/lib/db/migrations-folder";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { writePostgresSchema } from "@/lib/db/postgres-schema";

// npm run db:generate: derive the PostgreSQL schema, then generate both Prisma clients
// (lib/db/generated/{sqlite,postgresql}, git-ignored). Also run by npm install (postinstall).
//
// Offline: `prisma generate` tries to download the native schema engine unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file. Prisma 7 never runs it for `generate`
// (the client uses driver adapters and a WASM query compiler), so any executable will do:
// we point it at the Node binary, which exists on every platform.

const providers: DatabaseProvider[] = ["sqlite", "postgresql"];

function generate(provider: DatabaseProvider, root: string, prismaCli: string): Promise<void> {
  const schema = path.relative(root, prismaPaths(provider, root).schemaPath);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, "generate", "--schema", schema], {
      cwd: root,
      // The child needs the caller's environment (PATH, HOME, proxies) plus the offline settings.
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) {
        const line = output.split("\n").find((l) => l.includes("Generated Prisma Client"));
        console.log(line ? line.replace(/^\W+/, "").trim() : `Generated the ${provider} client.`);
        resolve();
      } else {
        reject(new Error(`prisma generate --schema ${schema} failed (exit ${code}):\n${output.trim()}`));
      }
    });
  });
}

async function main(): Promise<void> {
  const root = projectRoot();
  const schema = await writePostgresSchema(root);
  if (schema.changed) console.log(`Wrote ${path.relative(root, schema.path)}.`);
  const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
  await Promise.all(providers.map((provider) => generate(provider, root, prismaCli)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
