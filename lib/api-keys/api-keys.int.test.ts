// API keys in the real database (SQLite file, PostgreSQL): shown once, stored only as SHA-256 with the prefix
// (the file's bytes are searched for the key), listed without secrets, revoked, audited without the key,
// and refused to support staff in the domain itself, with the refusal audited.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { hashApiKey } from "@/lib/api-keys/api-key-format";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { saveMailbox } from "@/lib/mailboxes/save-mailbox";
import { providers, startTestDatabase, type TestDatabase } from "@/e2e/support/test-database";

const admin = { id: "u-admin", email: "ada.admin@example.com", role: "admin" as const };
const support = { id: "u-support", email: "sam.support@example.com", role: "support" as const };
const meta = { ip: "192.0.2.10", userAgent: "vitest" };
const form = (extra: Record<string, unknown> = {}) => ({ name: "Help desk poller", scopes: ["token:read", "mailboxes:read"], mailboxScope: "all", ...extra });

describe.each(providers)("API keys on %s", (provider) => {
  let db: TestDatabase;
  let mailboxAddress: string;
  beforeAll(async () => {
    db = await startTestDatabase(provider);
    const { appRegistration } = await saveAppRegistration(
      null,
      { label: "Contoso", cloud: "global", tenant: "b3922080-3ce0-4dbb-b906-e7d97973bbe4", audience: "single_tenant", clientId: "a6c42eea-f4c4-4984-be15-c0e72f4d0357", credentialType: "secret", clientSecret: "duh0Q~I_lr-eZ7g1G6yBrUTehT2PezrBpWjXhQ_C", credentialExpiresAt: "2030-01-01" },
      { id: null, label: admin.email },
      meta,
    );
    mailboxAddress = "helpdesk@contoso.com";
    await saveMailbox(null, { address: mailboxAddress, direction: "inbound", inboundProtocol: "imap", authMode: "delegated", appRegistrationId: appRegistration.id }, { id: null, label: admin.email }, meta);
  }, 120_000);
  afterAll(async () => db?.cleanup());

  it("is shown once, stored only as its SHA-256 and prefix, and never appears in the database or the audit log", async () => {
    const created = await createApiKey(form({ mailboxScope: "chosen", mailboxes: `${mailboxAddress}\n`, expiresOn: "2031-12-31", rateLimitPerMinute: "120" }), admin, meta);
    expect(created.key).toMatch(/^mop_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}$/);
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
    const row = await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id }, include: { mailboxes: true } });
    expect(row).toMatchObject({ prefix: created.prefix, keyHash: hashApiKey(created.key), scopes: "token:read mailboxes:read", mailboxScope: "chosen", rateLimitPerMinute: 120, createdBy: admin.email });
    expect(row.expiresAt?.toISOString()).toBe("2032-01-01T00:00:00.000Z");
    expect(row.mailboxes).toHaveLength(1);
    expect(JSON.stringify(row)).not.toContain(created.key.slice(13));

    const listed = await listApiKeys();
    expect(JSON.stringify(listed)).not.toContain(created.key.slice(13));
    expect(JSON.stringify(listed)).not.toContain(row.keyHash);
    expect(listed.find((k) => k.id === created.id)).toMatchObject({ prefix: created.prefix, status: "active", mailboxAddresses: [mailboxAddress], mailboxCount: 1, lastUsedAt: null });

    const audit = await getDb().auditEvent.findMany({ where: { action: "api_key.created", targetId: created.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorLabel: admin.email, ip: meta.ip, targetLabel: "Help desk poller" });
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ keyPrefix: created.prefix, scopes: ["token_read", "mailboxes_read"], mailboxScope: "chosen", mailboxes: 1 });
    expect(JSON.stringify(await getDb().auditEvent.findMany())).not.toContain(created.key.slice(13));

    if (provider === "sqlite") {
      await getDb().$queryRawUnsafe("PRAGMA wal_checkpoint(FULL)").catch(() => undefined);
      const files = fs.readdirSync(db.dataDir).filter((f) => f.startsWith("portal.db"));
      expect(files.length).toBeGreaterThan(0);
      const contents = files.map((f) => fs.readFileSync(path.join(db.dataDir, f)));
      for (const bytes of contents) {
        expect(bytes.includes(Buffer.from(created.key))).toBe(false);
        expect(bytes.includes(Buffer.from(created.key.slice(13)))).toBe(false);
      }
      // The search would find it if it were there: the hash and the prefix are.
      expect(contents.some((bytes) => bytes.includes(Buffer.from(row.keyHash)))).toBe(true);
      expect(contents.some((bytes) => bytes.includes(Buffer.from(created.prefix)))).toBe(true);
    }
  });

  it("each key is new: 256 bits of randomness, no two alike", async () => {
    const keys = await Promise.all(Array.from({ length: 20 }, (_, i) => createApiKey(form({ name: `k${i}` }), admin, meta)));
    expect(new Set(keys.map((k) => k.key)).size).toBe(20);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(20);
  });

  it("refuses what makes no sense, field by field: no scope, unknown mailboxes, a bad tag, a past expiry, a silly rate", async () => {
    const refused = (extra: Record<string, unknown>) => createApiKey(form(extra), admin, meta).then(() => null, (e: unknown) => e as { code: string; fieldErrors: Record<string, string> });
    expect(await refused({ scopes: [] })).toMatchObject({ code: "validation", fieldErrors: { scopes: expect.any(String) } });
    expect(await refused({ name: "  " })).toMatchObject({ fieldErrors: { name: expect.any(String) } });
    expect(await refused({ mailboxScope: "chosen", mailboxes: "" })).toMatchObject({ fieldErrors: { mailboxes: expect.stringContaining("at least one") } });
    expect(await refused({ mailboxScope: "chosen", mailboxes: "nobody@contoso.com" })).toMatchObject({ fieldErrors: { mailboxes: expect.stringContaining("nobody@contoso.com") } });
    expect(await refused({ mailboxScope: "tag", mailboxTag: "" })).toMatchObject({ fieldErrors: { mailboxTag: expect.any(String) } });
    expect(await refused({ expiresOn: "2001-01-01" })).toMatchObject({ fieldErrors: { expiresOn: expect.any(String) } });
    expect(await refused({ rateLimitPerMinute: "0" })).toMatchObject({ fieldErrors: { rateLimitPerMinute: expect.any(String) } });
  });

  it("support staff can list keys but neither create nor revoke them, also by a direct call; the refusal is audited", async () => {
    const created = await createApiKey(form({ name: "for revoking" }), admin, meta);
    const before = await getDb().apiKey.count();
    await expect(createApiKey(form({ name: "sneaky" }), support, meta)).rejects.toMatchObject({ code: "forbidden" });
    await expect(revokeApiKey(created.id, support, meta)).rejects.toMatchObject({ code: "forbidden" });
    expect(await getDb().apiKey.count()).toBe(before);
    expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id } })).revokedAt).toBeNull();
    const denied = await getDb().auditEvent.findMany({ where: { action: "api_key.change_denied", actorLabel: support.email }, orderBy: { at: "asc" } });
    expect(denied.map((d) => JSON.parse(d.details).attempted)).toEqual(["create", "revoke"]);
    expect(denied[1]).toMatchObject({ targetId: created.id, targetLabel: "for revoking" });
  });

  it("revoking is audited, final, and shown in the list", async () => {
    const created = await createApiKey(form({ name: "old poller" }), admin, meta);
    await revokeApiKey(created.id, admin, meta);
    await expect(revokeApiKey(created.id, admin, meta)).rejects.toMatchObject({ code: "conflict" });
    expect((await listApiKeys()).find((k) => k.id === created.id)).toMatchObject({ status: "revoked" });
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "api_key.revoked", targetId: created.id } });
    expect(JSON.parse(audit.details)).toEqual({ keyPrefix: created.prefix });
  });
});
