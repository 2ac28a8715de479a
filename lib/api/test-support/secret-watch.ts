// "No token or secret in a log line or an audit record": a test records every secret it sees (API keys,
// access and refresh tokens, consent-link tokens, XOAUTH2 strings) and, at the end, searches what the
// portal wrote to stdout/stderr meanwhile, every audit record, and the SQLite file's bytes (with its WAL).
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { getDb } from "@/lib/db/client";
import type { TestDatabase } from "@/e2e/support/test-database";

export interface SecretWatch {
  add(...secrets: (string | null | undefined)[]): void;
  readonly secrets: ReadonlySet<string>;
  output(): string;
  stop(): void;
}

export function startSecretWatch(): SecretWatch {
  const secrets = new Set<string>();
  const chunks: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const tap = (original: typeof process.stdout.write) =>
    function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk));
      return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof process.stdout.write;
  process.stdout.write = tap(originals.out);
  process.stderr.write = tap(originals.err);
  return {
    add(...values) {
      for (const v of values) if (v && v.length >= 16) secrets.add(v);
    },
    secrets,
    output: () => chunks.join(""),
    stop() {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

/** For each secret, also the parts a careless log would show: an API key's secret part, an XOAUTH2 string. */
function variantsOf(secret: string): string[] {
  const out = [secret];
  const apiKey = /^mop_[0-9A-Za-z]{8}_([0-9A-Za-z]{43})$/.exec(secret);
  if (apiKey) out.push(apiKey[1]!);
  return out;
}

export async function expectNoSecretsLeaked(watch: SecretWatch, db: TestDatabase): Promise<void> {
  expect(watch.secrets.size).toBeGreaterThan(0);
  const audit = JSON.stringify(await getDb().auditEvent.findMany());
  const logs = watch.output();
  const files = db.provider === "sqlite" ? fs.readdirSync(db.dataDir).filter((f) => f.startsWith("portal.db")).map((f) => fs.readFileSync(path.join(db.dataDir, f))) : [];
  for (const secret of watch.secrets) {
    for (const v of variantsOf(secret)) {
      expect(audit.includes(v), "a secret in an audit record").toBe(false);
      expect(logs.includes(v), "a secret in the log").toBe(false);
      const b64 = Buffer.from(v).toString("base64").slice(0, 40);
      expect(logs.includes(b64), "a secret, base64-encoded (an XOAUTH2 string), in the log").toBe(false);
      // Access and refresh tokens are stored encrypted, API keys as a hash: none appears in the database file.
      for (const file of files) expect(file.includes(Buffer.from(v)), "a secret in the database file").toBe(false);
    }
  }
}
