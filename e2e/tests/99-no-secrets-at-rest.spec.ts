import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { admin, support } from "../support/accounts";
import { e2eClientSecret } from "../support/secrets";
import { fixtureApps } from "../support/stand-in-cloud";

// After the browser tests: neither the SQLite file (with its WAL) nor the portal's log holds a
// password that was typed, and the encryption key file is private.
test("no password or client secret in the database file or the logs; the key file is mode 0600", () => {
  const dataDir = path.resolve(".e2e-data");
  const files = fs.readdirSync(dataDir).filter((f) => f.startsWith("portal.db"));
  expect(files.length).toBeGreaterThan(0);
  const haystacks = [...files.map((f) => fs.readFileSync(path.join(dataDir, f))), fs.readFileSync("test-results/e2e-portal.log")];
  for (const secret of [admin.password, support.password, "wrong password 3", e2eClientSecret, ...Object.values(fixtureApps).map((a) => a.secret)]) {
    for (const hay of haystacks) expect(hay.includes(Buffer.from(secret))).toBe(false);
  }
  const key = fs.readFileSync(path.join(dataDir, "encryption.key"), "utf8").split("\n").find((l) => l && !l.startsWith("#"))!;
  for (const hay of haystacks) expect(hay.includes(Buffer.from(key))).toBe(false);
  expect(fs.statSync(path.join(dataDir, "encryption.key")).mode & 0o777).toBe(0o600);
});
