import { readFile } from "node:fs/promises";
import path from "node:path";
import { derivePostgresSchema, writePostgresSchema } from "@/lib/db/postgres-schema";
import { prismaPaths, projectRoot } from "@/lib/db/migrations-folder";

// npm run db:schemas            derive prisma/postgresql/schema.prisma from prisma/schema.prisma
// npm run db:schemas -- --check exit 1 if the checked-in copy is stale (for CI)

async function main(): Promise<void> {
  const root = projectRoot();
  const relative = (file: string) => path.relative(root, file);
  if (process.argv.includes("--check")) {
    const expected = derivePostgresSchema(await readFile(prismaPaths("sqlite").schemaPath, "utf8"));
    const target = prismaPaths("postgresql").schemaPath;
    const actual = await readFile(target, "utf8").catch(() => null);
    if (actual !== expected) {
      console.error(`${relative(target)} is out of date: run npm run db:schemas and commit it.`);
      process.exit(1);
    }
    console.log(`${relative(target)} is up to date.`);
    return;
  }
  const result = await writePostgresSchema(root);
  console.log(result.changed ? `Wrote ${relative(result.path)}.` : `${relative(result.path)} is up to date.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
