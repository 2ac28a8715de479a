import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { encryptedFields } from "@/lib/vault/encrypted-fields";

describe("encrypted field registry", () => {
  it("lists every *Encrypted column of the schema, so rotation misses none", () => {
    const schema = fs.readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
    const found: string[] = [];
    let model = "";
    for (const line of schema.split("\n")) {
      const m = /^model (\w+) \{/.exec(line);
      if (m) model = m[1]!.charAt(0).toLowerCase() + m[1]!.slice(1);
      const f = /^\s+(\w+Encrypted)\s/.exec(line);
      if (f && model) found.push(`${model}.${f[1]}`);
    }
    expect(found.length).toBeGreaterThan(0);
    expect(encryptedFields.map((e) => `${e.model}.${e.field}`).sort()).toEqual(found.sort());
  });
});
