import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, generatedHeader, SchemaDerivationError } from "@/lib/db/postgres-schema";
import { prismaPaths } from "@/lib/db/migrations-folder";

const source = `// The one source of truth.
// More about it.

generator client {
  provider = "prisma-client"
  output   = "../lib/db/generated/sqlite"
}

datasource db {
  provider = "sqlite"
}

/// A documented model.
model Note {
  id   String @id @default(cuid())
  /// provider = "sqlite" inside a comment stays as it is
  text String @default("provider = \\"sqlite\\"")
}
`;

describe("derivePostgresSchema", () => {
  it("changes only the provider and the client output, and says it is generated", () => {
    const derived = derivePostgresSchema(source);
    expect(derived.startsWith(generatedHeader.join("\n"))).toBe(true);
    expect(derived).not.toContain("The one source of truth");
    expect(derived).toContain('output   = "../../lib/db/generated/postgresql"');
    expect(derived).toMatch(/datasource db \{\n {2}provider = "postgresql"\n\}/);
    const models = (text: string) => text.slice(text.indexOf("/// A documented model."));
    expect(models(derived)).toBe(models(source));
  });

  it("refuses a schema whose generator or datasource is not the expected one", () => {
    expect(() => derivePostgresSchema(source.replace("generated/sqlite", "elsewhere"))).toThrow(SchemaDerivationError);
    expect(() => derivePostgresSchema(source.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(SchemaDerivationError);
  });

  it("matches the checked-in prisma/postgresql/schema.prisma (run npm run db:schemas if not)", () => {
    const derived = derivePostgresSchema(readFileSync(prismaPaths("sqlite").schemaPath, "utf8"));
    expect(readFileSync(prismaPaths("postgresql").schemaPath, "utf8")).toBe(derived);
  });
});
