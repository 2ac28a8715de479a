import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { getDb } from "@/lib/db/client";
import { VaultError } from "@/lib/vault/cipher";
import { generateKeyText, readKeyFile } from "@/lib/vault/key-ring";
import { decryptSecret, encryptSecret, getKeyRing, resetVaultForTests } from "@/lib/vault/vault";
import { checkVaultCanary } from "@/lib/vault/vault-canary";
import { providers, startTestDatabase, type TestDatabase } from "../../e2e/support/test-database";

const root = path.resolve(import.meta.dirname, "../..");

function runRotate(env: Record<string, string>) {
  return spawnSync(path.join(root, "node_modules/.bin/tsx"), ["lib/cli/vault-rotate.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

/** A grant's access token: the one encrypted column with a composite key (grantId, resource). */
async function storeAccessToken(): Promise<void> {
  const app = await getDb().appRegistration.create({
    data: { label: "rot", cloud: "global", tenant: "contoso.com", audience: "single_tenant", clientId: "5c1d92ab-7a3b-461a-b5ee-13aaec60c5ec", credentialType: "secret" },
  });
  const mailbox = await getDb().mailbox.create({ data: { address: "rot@contoso.com", direction: "inbound", inboundProtocol: "imap", authMode: "delegated", appRegistrationId: app.id } });
  const grant = await getDb().grant.create({ data: { mailboxId: mailbox.id, kind: "delegated" } });
  await getDb().grantAccessToken.create({
    data: { grantId: grant.id, resource: "https://outlook.office.com", tokenEncrypted: encryptSecret("access token value", `grant:${grant.id}:access-token:https://outlook.office.com`), expiresAt: new Date() },
  });
}

async function storeSecrets(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await getDb().setting.create({
      data: { key: `test.secret.${i}`, value: "null", secretEncrypted: encryptSecret(`secret value ${i}`, `setting:test.secret.${i}`) },
    });
  }
}

describe.each(providers)("vault rotation and key check on %s", (provider) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await startTestDatabase(provider);
    await checkVaultCanary();
    await storeSecrets(3);
    await storeAccessToken();
  }, 120_000);
  afterAll(async () => db.cleanup());

  it("rotates the generated key file: every secret re-encrypted, old key dropped, values intact", async () => {
    const oldId = getKeyRing().primary.id;
    const result = runRotate({ PORTAL_DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl });
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.stdout).toMatch(/Re-encrypted 5 secret\(s\)/); // three secrets, an access token and the canary
    const keys = readKeyFile(path.join(db.dataDir, "encryption.key"));
    expect(keys).toHaveLength(1);
    expect(keys[0]!.id).not.toBe(oldId);

    // This process notices the changed key file by itself and reads the re-encrypted values.
    const rows = await getDb().setting.findMany({ where: { key: { startsWith: "test.secret." } }, orderBy: { key: "asc" } });
    for (const [i, row] of rows.entries()) {
      expect(row.secretEncrypted!.split(".")[1]).toBe(keys[0]!.id);
      expect(decryptSecret(row.secretEncrypted!, `setting:test.secret.${i}`)).toBe(`secret value ${i}`);
    }
    await checkVaultCanary();
    const access = await getDb().grantAccessToken.findFirstOrThrow();
    expect(access.tokenEncrypted.split(".")[1]).toBe(keys[0]!.id);
    expect(decryptSecret(access.tokenEncrypted, `grant:${access.grantId}:access-token:${access.resource}`)).toBe("access token value");
    expect(fs.statSync(path.join(db.dataDir, "encryption.key")).mode & 0o777).toBe(0o600);
  });

  it("moves secrets to an env key, keeping the file's key readable during the move", async () => {
    const envKey = generateKeyText();
    const result = runRotate({ PORTAL_DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, PORTAL_ENCRYPTION_KEY: envKey });
    expect(result.stdout).toMatch(/Re-encrypted 5 secret\(s\)/);
    expect(result.stdout).toMatch(/Remove PORTAL_ENCRYPTION_PREVIOUS_KEYS/);
    process.env.PORTAL_ENCRYPTION_KEY = envKey;
    resetEnvForTests();
    resetVaultForTests();
    fs.rmSync(path.join(db.dataDir, "encryption.key"));
    await checkVaultCanary();
    const row = await getDb().setting.findUniqueOrThrow({ where: { key: "test.secret.1" } });
    expect(decryptSecret(row.secretEncrypted!, "setting:test.secret.1")).toBe("secret value 1");
  });

  it("refuses to start with a key that cannot read the database's secrets", async () => {
    process.env.PORTAL_ENCRYPTION_KEY = generateKeyText();
    resetEnvForTests();
    resetVaultForTests();
    await expect(checkVaultCanary()).rejects.toThrow(VaultError);
    await expect(checkVaultCanary()).rejects.toThrow(/cannot read this database's secrets.*Restore the key/);
    delete process.env.PORTAL_ENCRYPTION_KEY;
  });
});
