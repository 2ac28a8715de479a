import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { prismaPaths, projectRoot } from "@/lib/db/migrations-folder";

// prisma/schema.prisma (SQLite) is the one source of truth for the models. A generated Prisma
// client serves one provider, so PostgreSQL gets a derived copy: same models, other provider,
// other client output. Only the two lines that differ are rewritten, and strictly: if either
// is not found as expected the derivation fails instead of producing a wrong schema.

export const generatedHeader = [
  "// GENERATED FILE - DO NOT EDIT. Derived from prisma/schema.prisma by `npm run db:schemas`",
  "// (db:generate, db:migration:new and npm install run it too): same models, provider postgresql.",
];

const sqliteOutput = /(\boutput\s*=\s*)"\.\.\/lib\/db\/generated\/sqlite"/;
const sqliteProvider = /(\bprovider\s*=\s*)"sqlite"/;

export class SchemaDerivationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SchemaDerivationError";
  }
}

export function derivePostgresSchema(source: string): string {
  const generator = findBlock(source, /generator\s+client\s*\{/);
  const datasource = findBlock(source, /datasource\s+db\s*\{/);
  if (!generator || !sqliteOutput.test(generator.text)) {
    throw new SchemaDerivationError('prisma/schema.prisma: expected `generator client { output = "../lib/db/generated/sqlite" }`.');
  }
  if (!datasource || !sqliteProvider.test(datasource.text)) {
    throw new SchemaDerivationError('prisma/schema.prisma: expected `datasource db { provider = "sqlite" }`.');
  }
  // The derived file sits one level deeper (prisma/postgresql/), hence ../../.
  const edits = [
    { ...generator, text: generator.text.replace(sqliteOutput, '$1"../../lib/db/generated/postgresql"') },
    { ...datasource, text: datasource.text.replace(sqliteProvider, '$1"postgresql"') },
  ].sort((a, b) => b.start - a.start);
  let out = source;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);

  // The source's opening comment describes the source ("the one source of truth"): replace it.
  const lines = out.split("\n");
  let firstCode = 0;
  while (firstCode < lines.length && /^\s*(\/\/.*)?$/.test(lines[firstCode]!) && !lines[firstCode]!.trimStart().startsWith("///")) firstCode++;
  return [...generatedHeader, "", ...lines.slice(firstCode)].join("\n");
}

function findBlock(source: string, opener: RegExp): { start: number; end: number; text: string } | null {
  const match = opener.exec(source);
  if (!match) return null;
  const end = source.indexOf("}", match.index);
  if (end < 0) return null;
  return { start: match.index, end: end + 1, text: source.slice(match.index, end + 1) };
}

/** Writes prisma/postgresql/schema.prisma from prisma/schema.prisma; returns whether it changed. */
export async function writePostgresSchema(root = projectRoot()): Promise<{ path: string; changed: boolean }> {
  const source = await readFile(prismaPaths("sqlite", root).schemaPath, "utf8");
  const target = prismaPaths("postgresql", root).schemaPath;
  const derived = derivePostgresSchema(source);
  const current = await readFile(target, "utf8").catch(() => null);
  if (current === derived) return { path: target, changed: false };
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, derived);
  return { path: target, changed: true };
}
