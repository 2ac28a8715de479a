import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { checkAppCredentials } from "@/lib/app-registrations/check-app-credentials";
import { saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { saveMailbox } from "@/lib/mailboxes/save-mailbox";
import { startStandIn, type StandIn } from "../../e2e/stand-in/start-stand-in";
import { contosoTenantId, fixtureApps, standInCloudFields } from "../../e2e/support/stand-in-cloud";
import { startTestDatabase, type TestDatabase } from "../../e2e/support/test-database";

// "Check credentials" against the local Microsoft 365 stand-in, reached only through a custom cloud
// (its hosts and CA), as an admin would configure it.

const actor = { id: null, label: "admin@example.com" };
const meta = { ip: "127.0.0.1", userAgent: "vitest" };

describe("check credentials against the stand-in", () => {
  let db: TestDatabase;
  let standIn: StandIn;
  beforeAll(async () => {
    [db, standIn] = await Promise.all([startTestDatabase("sqlite"), startStandIn({ mail: false })]);
  }, 120_000);
  afterAll(async () => {
    await standIn?.stop();
    await db?.cleanup();
  });

  async function app(label: string, clientId: string, secret: string, extra: Record<string, string> = {}) {
    const { appRegistration } = await saveAppRegistration(
      null,
      {
        label,
        ...standInCloudFields(standIn),
        tenant: contosoTenantId,
        audience: "multi_tenant",
        clientId,
        credentialType: "secret",
        clientSecret: secret,
        credentialExpiresAt: "2027-06-30",
        ...extra,
      },
      actor,
      meta,
    );
    return appRegistration;
  }

  it("gets a client-credentials token with the roles its app-only mailboxes need", async () => {
    const daemon = await app("Daemon", fixtureApps.daemon.clientId, fixtureApps.daemon.secret);
    await saveMailbox(
      null,
      { address: "adele.vance@contoso.com", direction: "both", inboundProtocol: "imap", outboundProtocol: "smtp", authMode: "app_only", appRegistrationId: daemon.id },
      actor,
      meta,
    );
    const result = await checkAppCredentials(daemon.id, actor, meta);
    expect(result.ok).toBe(true);
    expect(result.resources).toHaveLength(1);
    expect(result.resources[0]!.resource).toBe("https://outlook.office365.com");
    expect(result.resources[0]!.roles).toEqual(expect.arrayContaining(["IMAP.AccessAsApp", "SMTP.SendAsApp"]));
    expect(result.resources[0]!.servicePrincipalObjectId).toBe(fixtureApps.daemon.servicePrincipal);
    const stored = await getDb().appRegistration.findUniqueOrThrow({ where: { id: daemon.id } });
    expect(stored.lastCheckOutcome).toBe("ok");
    expect(stored.lastCheckDetail).not.toContain(fixtureApps.daemon.secret);
  });

  it("explains an invalid secret (AADSTS7000215) with Microsoft's trace and correlation IDs", async () => {
    const wrong = await app("Wrong secret", fixtureApps.daemon.clientId, "abc8Q~this-is-not-the-right-secret-value0");
    const result = await checkAppCredentials(wrong.id, actor, meta);
    expect(result.ok).toBe(false);
    const explanation = result.resources[0]!.explanation!;
    expect(explanation.code).toBe("AADSTS7000215");
    expect(explanation.fix).toMatch(/Value/);
    expect(explanation.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(explanation.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "app_registration.credentials_checked", targetId: wrong.id } });
    expect(JSON.parse(audit.details)).toMatchObject({ outcome: "failed", errorCodes: ["AADSTS7000215"] });
  });

  it("explains an app that is not in the tenant (AADSTS700016)", async () => {
    const ghost = await app("Unknown app", "0f0f0f0f-1111-4222-8333-444455556666", "zzz8Q~an-app-that-does-not-exist-at-all00");
    const result = await checkAppCredentials(ghost.id, actor, meta);
    expect(result.ok).toBe(false);
    expect(result.resources[0]!.explanation!.code).toBe("AADSTS700016");
    expect(result.resources[0]!.explanation!.actor).toBe("admin");
  });

  it("says which roles are missing when the token lacks them", async () => {
    const relay = await app("Relay", fixtureApps.portal.clientId, fixtureApps.portal.secret);
    await saveMailbox(null, { address: "megan.bowen@contoso.com", direction: "inbound", inboundProtocol: "pop3", authMode: "app_only", appRegistrationId: relay.id }, actor, meta);
    const result = await checkAppCredentials(relay.id, actor, meta);
    expect(result.ok).toBe(false);
    expect(result.resources[0]!.explanation).toBeNull();
    expect(result.resources[0]!.missingRoles).toEqual(["POP.AccessAsApp"]);
  });
});
