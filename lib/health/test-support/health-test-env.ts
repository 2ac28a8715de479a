import { saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { confirmAppOnlyAccess } from "@/lib/consent/confirm-app-only-access";
import { saveMailbox } from "@/lib/mailboxes/save-mailbox";
import { startStandIn, type StandIn } from "@/e2e/stand-in/start-stand-in";
import { contosoTenantId, fixtureApps, standInCloudFields } from "@/e2e/support/stand-in-cloud";
import { startTestDatabase, type Provider, type TestDatabase } from "@/e2e/support/test-database";
import { writeBulkFixtures, type BulkFixtures } from "./bulk-fixtures";
import { startCountingProxy, type CountingProxy } from "./counting-proxy";

// A real database, the real stand-in (Dovecot, Postfix, Graph) with `mailboxes` extra shared mailboxes,
// and that many app-only mailboxes in the portal, made and connected through the real domain functions
// (app registration with the stand-in as a custom cloud, saveMailbox, confirmAppOnlyAccess: a real
// client-credentials token proves the roles). Their IMAP goes through a counting relay in front of Dovecot.

export const actor = { id: null, label: "admin@example.com" };
export const meta = { ip: "127.0.0.1", userAgent: "vitest" };

export interface HealthTestEnv {
  db: TestDatabase;
  standIn: StandIn;
  imapProxy: CountingProxy;
  appRegistrationId: string;
  mailboxIds: string[];
  addresses: string[];
  stop(): Promise<void>;
}

export async function startHealthTestEnv(provider: Provider, options: { mailboxes: number; imapDelayMs?: number; extraEnv?: Record<string, string> }): Promise<HealthTestEnv> {
  const fixtures: BulkFixtures = writeBulkFixtures(options.mailboxes);
  const [db, standIn] = await Promise.all([startTestDatabase(provider, options.extraEnv), startStandIn({ mail: true, fixturesPath: fixtures.path })]);
  const imapProxy = await startCountingProxy(standIn.mail!.imap, { delayMs: options.imapDelayMs ?? 0 });
  const { appRegistration } = await saveAppRegistration(
    null,
    {
      label: "Daemon (stand-in)",
      ...standInCloudFields(standIn),
      customImapHost: `${imapProxy.host}:${imapProxy.port}`,
      tenant: contosoTenantId,
      audience: "multi_tenant",
      clientId: fixtureApps.daemon.clientId,
      credentialType: "secret",
      clientSecret: fixtureApps.daemon.secret,
      credentialExpiresAt: "2030-06-30",
    },
    actor,
    meta,
  );
  const mailboxIds: string[] = [];
  for (const address of fixtures.addresses) {
    const { mailbox } = await saveMailbox(null, { address, direction: "inbound", inboundProtocol: "imap", authMode: "app_only", appRegistrationId: appRegistration.id }, actor, meta);
    mailboxIds.push(mailbox.id);
  }
  const confirmed = await confirmAppOnlyAccess(appRegistration.id, actor, meta);
  if (!confirmed.ok || confirmed.connectedMailboxes !== mailboxIds.length) throw new Error(`app-only access not confirmed: ${JSON.stringify(confirmed)}`);
  return {
    db,
    standIn,
    imapProxy,
    appRegistrationId: appRegistration.id,
    mailboxIds,
    addresses: fixtures.addresses,
    async stop() {
      await imapProxy.close();
      await standIn.stop();
      await db.cleanup();
      fixtures.remove();
    },
  };
}
