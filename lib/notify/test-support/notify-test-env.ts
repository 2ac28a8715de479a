// Test support for lib/notify: a real database, the real stand-in with its Dovecot and Postfix, an app
// registration pointing at it (as an admin would enter it), and mailboxes made and connected through the
// real domain functions (a real authorization code redeemed at the stand-in, lib/grants/test-support).
import { saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { saveMailbox } from "@/lib/mailboxes/save-mailbox";
import { connectDelegated, type GrantTestEnv } from "@/lib/grants/test-support/grant-fixture";
import { startStandIn, type StandIn } from "@/e2e/stand-in/start-stand-in";
import { contosoTenantId, fixtureApps, standInCloudFields } from "@/e2e/support/stand-in-cloud";
import { startTestDatabase, type Provider, type TestDatabase } from "@/e2e/support/test-database";

export const actor = { id: null, label: "admin@example.com" };
export const meta = { ip: "127.0.0.1", userAgent: "vitest" };
export const ADELE = "adele.vance@contoso.com";
export const MEGAN = "megan.bowen@contoso.com";

export interface NotifyTestEnv extends GrantTestEnv {
  db: TestDatabase;
  standIn: StandIn;
}

export async function startNotifyTestEnv(provider: Provider, options: { mail?: boolean } = {}): Promise<NotifyTestEnv> {
  const [db, standIn] = await Promise.all([startTestDatabase(provider, { NOTIFY_INTERVAL_MINUTES: "0" }), startStandIn({ mail: options.mail ?? true })]);
  const save = async (label: string, clientId: string, secret: string, tenant: string) =>
    (
      await saveAppRegistration(
        null,
        { label, ...standInCloudFields(standIn), tenant, audience: "multi_tenant", clientId, credentialType: "secret", clientSecret: secret, credentialExpiresAt: "2030-06-30" },
        actor,
        meta,
      )
    ).appRegistration.id;
  const portalAppId = await save("Portal", fixtureApps.portal.clientId, fixtureApps.portal.secret, "organizations");
  const daemonAppId = await save("Daemon", fixtureApps.daemon.clientId, fixtureApps.daemon.secret, contosoTenantId);
  return {
    db,
    standIn,
    portalAppId,
    daemonAppId,
    async stop() {
      await standIn.stop();
      await db.cleanup();
    },
  };
}

/** A delegated mailbox of a fixture user, saved and connected as the redirect URI would connect it. */
export async function connectedMailbox(
  env: NotifyTestEnv,
  address: string,
  options: { inbound?: "imap" | null; outbound?: "smtp" | "graph" | null; ownerEmail?: string } = {},
): Promise<{ mailboxId: string; grantId: string }> {
  const inbound = options.inbound === undefined ? "imap" : options.inbound;
  const outbound = options.outbound === undefined ? "smtp" : options.outbound;
  const { mailbox } = await saveMailbox(
    null,
    {
      address,
      direction: inbound && outbound ? "both" : inbound ? "inbound" : "outbound",
      ...(inbound ? { inboundProtocol: inbound } : {}),
      ...(outbound ? { outboundProtocol: outbound } : {}),
      authMode: "delegated",
      appRegistrationId: env.portalAppId,
      ...(options.ownerEmail ? { ownerEmail: options.ownerEmail } : {}),
    },
    actor,
    meta,
  );
  const { grantId } = await connectDelegated(env, mailbox.id, address);
  return { mailboxId: mailbox.id, grantId };
}
