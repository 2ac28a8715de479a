import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { deleteAppRegistration, saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { listMailboxes, mailboxListQuerySchema } from "@/lib/mailboxes/list-mailboxes";
import { exportMailboxesCsv, importMailboxesCsv } from "@/lib/mailboxes/mailbox-csv";
import { deleteMailbox, saveMailbox } from "@/lib/mailboxes/save-mailbox";
import { providers, startTestDatabase, type TestDatabase } from "../../e2e/support/test-database";

const actor = { id: null, label: "admin@example.com" };
const meta = { ip: "127.0.0.1", userAgent: "vitest" };
const secret = "mDS2Q~L722.mykchcgGODfufbzgt6p0lcIuS4BHF";

describe.each(providers)("mailboxes on %s", (provider) => {
  let db: TestDatabase;
  let appId = "";
  beforeAll(async () => {
    db = await startTestDatabase(provider);
    const { appRegistration } = await saveAppRegistration(
      null,
      {
        label: "Help desk",
        cloud: "global",
        tenant: "contoso.onmicrosoft.com",
        audience: "single_tenant",
        clientId: "5c1d92ab-7a3b-461a-b5ee-13aaec60c5ec",
        credentialType: "secret",
        clientSecret: secret,
        credentialExpiresAt: "2027-10-01",
      },
      actor,
      meta,
    );
    appId = appRegistration.id;
  }, 120_000);
  afterAll(async () => db.cleanup());

  it("stores the secret encrypted with only a hint, and audits without it", async () => {
    const row = await getDb().appRegistration.findUniqueOrThrow({ where: { id: appId } });
    expect(row.clientSecretEncrypted).toMatch(/^v1\./);
    expect(row.clientSecretEncrypted).not.toContain(secret);
    expect(row.secretHint).toBe(`••••${secret.slice(-4)}`);
    const events = await getDb().auditEvent.findMany();
    expect(JSON.stringify(events)).not.toContain(secret);

    await saveAppRegistration(appId, { label: "Help desk", cloud: "global", tenant: "contoso.onmicrosoft.com", audience: "single_tenant", clientId: row.clientId, credentialType: "secret", clientSecret: "", credentialExpiresAt: "2027-12-01" }, actor, meta);
    const kept = await getDb().appRegistration.findUniqueOrThrow({ where: { id: appId } });
    expect(kept.clientSecretEncrypted).toBe(row.clientSecretEncrypted);
    const update = await getDb().auditEvent.findFirstOrThrow({ where: { action: "app_registration.updated" } });
    expect(JSON.parse(update.details)).toEqual({ changedFields: ["credentialExpiresAt"] });
  });

  it("refuses the same address twice for the same protocol and direction", async () => {
    const form = { address: "helpdesk@contoso.com", direction: "inbound", inboundProtocol: "imap", authMode: "delegated", appRegistrationId: appId, tags: "helpdesk, eu" };
    const first = await saveMailbox(null, form, actor, meta);
    expect(first.mailbox.inboundHost).toBe("outlook.office365.com");
    await expect(saveMailbox(null, form, actor, meta)).rejects.toMatchObject({ fieldErrors: { inboundProtocol: expect.stringMatching(/already configured for inbound IMAP/) } });
    // Another protocol for the same address is fine.
    await saveMailbox(null, { ...form, inboundProtocol: "pop3", tags: "helpdesk" }, actor, meta);
    await saveMailbox(null, { address: "sales@contoso.com", displayName: "Sales", direction: "outbound", outboundProtocol: "smtp", authMode: "delegated", appRegistrationId: appId, tags: "sales" }, actor, meta);
  });

  it("filters, sorts and pages in the database", async () => {
    const q = (o: Record<string, string>) => listMailboxes(mailboxListQuerySchema.parse(o));
    expect((await q({})).total).toBe(3);
    expect((await q({ protocol: "smtp" })).rows.map((r) => r.address)).toEqual(["sales@contoso.com"]);
    expect((await q({ tag: "eu" })).rows.map((r) => r.inboundProtocol)).toEqual(["imap"]);
    expect((await q({ tag: "e" })).total).toBe(0); // whole tags only
    expect((await q({ q: "SALES" })).total).toBe(1);
    expect((await q({ tenant: "CONTOSO.onmicrosoft.com", cloud: "global" })).total).toBe(3);
    expect((await q({ cloud: "china" })).total).toBe(0);
    expect((await q({ sort: "address", order: "desc" })).rows[0]!.address).toBe("sales@contoso.com");
    const paged = await q({ pageSize: "10", page: "2" });
    expect(paged.rows).toHaveLength(0);
    expect(paged.pages).toBe(1);
  });

  it("exports CSV without secrets and imports it back with a row-by-row report", async () => {
    const csv = await exportMailboxesCsv(mailboxListQuerySchema.parse({}));
    expect(csv.split("\n")[0]).toBe("address,displayName,direction,inboundProtocol,inboundHost,inboundPort,inboundSecurity,outboundProtocol,outboundHost,outboundPort,outboundSecurity,authMode,appRegistration,signingIdentity,ownerEmail,tags");
    expect(csv).not.toContain(secret);
    expect(csv).toContain("helpdesk;eu");
    const edited =
      csv.replace("sales@contoso.com,Sales", "sales@contoso.com,Sales team") +
      "new@contoso.com,New,inbound,graph,,,,,,,,delegated,Help desk,,,new\n" +
      "bad@hotmail.com,Bad,inbound,imap,,,,,,,,delegated,Help desk,,,\n" +
      "x@contoso.com,X,inbound,imap,,70000,,,,,,delegated,Help desk,,,\n" +
      "y@contoso.com,Y,inbound,imap,,,,,,,,delegated,No such app,,,\n";
    const reports = await importMailboxesCsv(edited, actor, meta);
    const byAddress = Object.fromEntries(reports.map((r) => [r.address, r]));
    expect(byAddress["sales@contoso.com"]!.outcome).toBe("updated");
    expect(byAddress["helpdesk@contoso.com"]!.outcome).toBe("updated");
    expect(byAddress["new@contoso.com"]!.outcome).toBe("created");
    expect(byAddress["bad@hotmail.com"]).toMatchObject({ outcome: "rejected", errors: { address: expect.stringMatching(/personal Microsoft account/) } });
    expect(byAddress["x@contoso.com"]).toMatchObject({ outcome: "rejected", errors: { inboundPort: "Enter a port between 1 and 65535." } });
    expect(byAddress["y@contoso.com"]).toMatchObject({ outcome: "rejected", errors: { appRegistration: expect.stringMatching(/No app registration/) } });
    expect(byAddress["bad@hotmail.com"]!.line).toBe(6);
    expect(await getDb().mailbox.count()).toBe(4);
    expect((await getDb().mailbox.findFirstOrThrow({ where: { address: "sales@contoso.com" } })).displayName).toBe("Sales team");
  });

  it("refuses to delete an app registration while mailboxes use it", async () => {
    await expect(deleteAppRegistration(appId, actor, meta)).rejects.toMatchObject({ code: "conflict", safeMessage: expect.stringMatching(/4 mailboxes use/) });
    for (const m of await getDb().mailbox.findMany()) await deleteMailbox(m.id, actor, meta);
    await deleteAppRegistration(appId, actor, meta);
    expect(await getDb().appRegistration.count()).toBe(0);
  });
});
