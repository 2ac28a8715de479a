// Test support for lib/grants: a real database (startTestDatabase), the real stand-in reached through a custom
// cloud, app registrations and mailboxes made through the real domain functions, and delegated grants made
// the way the portal's redirect URI makes them: a real authorization code from the stand-in's sign-in pages,
// redeemed with redeemAuthorizationCode and stored with saveGrantFromTokens.
import { getDb } from "@/lib/db/client";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { loadAppCredential } from "@/lib/app-registrations/app-credentials";
import { saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { saveMailbox } from "@/lib/mailboxes/save-mailbox";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import { delegatedScopePlan } from "@/lib/microsoft/scopes";
import { redeemAuthorizationCode, type TokenSuccess } from "@/lib/microsoft/token-endpoint";
import { saveGrantFromTokens } from "@/lib/grants/save-grant";
import type { TokenPolicy } from "@/lib/grants/token-policy";
import { obtainAuthorizationCode } from "@/lib/grants/test-support/authorization-code";
import { startStandIn, type StandIn } from "@/e2e/stand-in/start-stand-in";
import { contosoTenantId, fixtureApps, standInCloudFields } from "@/e2e/support/stand-in-cloud";
import { startTestDatabase, type Provider, type TestDatabase } from "@/e2e/support/test-database";

export const actor = { id: null, label: "admin@example.com" };
export const meta = { ip: "127.0.0.1", userAgent: "vitest" };
export const ADELE = "adele.vance@contoso.com";

/** Timings short enough for tests; the behaviour is the product's. */
export const testPolicy: Partial<TokenPolicy> = {
  attemptTimeoutMs: 1500,
  retryBaseDelayMs: 50,
  retryMaxDelayMs: 200,
  retryBudgetMs: 4000,
  maxRetryAfterWaitMs: 2000,
  failureBackoffBaseMs: 1000,
  failureBackoffMaxMs: 2000,
  leaseTtlMs: 1500,
  waitForOtherRefreshMs: 20_000,
};

export interface GrantTestEnv {
  db: TestDatabase;
  standIn: StandIn;
  portalAppId: string;
  daemonAppId: string;
  stop(): Promise<void>;
}

export interface GrantTestEnvOptions {
  /** Start the stand-in's Dovecot and Postfix too (default false). */
  mail?: boolean;
  /** Extra environment for the portal's modules (e.g. turning a job off). */
  env?: Record<string, string>;
  credentialExpiresAt?: string;
}

export async function startGrantTestEnv(provider: Provider, options: GrantTestEnvOptions = {}): Promise<GrantTestEnv> {
  const [db, standIn] = await Promise.all([startTestDatabase(provider, options.env), startStandIn({ mail: options.mail ?? false })]);
  const save = async (label: string, clientId: string, secret: string, tenant: string) =>
    (
      await saveAppRegistration(
        null,
        { label, ...standInCloudFields(standIn), tenant, audience: "multi_tenant", clientId, credentialType: "secret", clientSecret: secret, credentialExpiresAt: options.credentialExpiresAt ?? "2027-06-30" },
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

let counter = 0;

export async function createMailbox(
  env: GrantTestEnv,
  options: { address?: string; inbound?: "imap" | "pop3" | "graph" | "ews" | null; outbound?: "smtp" | "graph" | "ews" | null; authMode?: "delegated" | "app_only" } = {},
): Promise<string> {
  const inbound = options.inbound === undefined ? "imap" : options.inbound;
  const outbound = options.outbound === undefined ? "smtp" : options.outbound;
  const authMode = options.authMode ?? "delegated";
  const { mailbox } = await saveMailbox(
    null,
    {
      address: options.address ?? `box${++counter}-${Date.now()}@contoso.com`,
      direction: inbound && outbound ? "both" : inbound ? "inbound" : "outbound",
      ...(inbound ? { inboundProtocol: inbound } : {}),
      ...(outbound ? { outboundProtocol: outbound } : {}),
      authMode,
      appRegistrationId: authMode === "app_only" ? env.daemonAppId : env.portalAppId,
    },
    actor,
    meta,
  );
  return mailbox.id;
}

/** Consent as the redirect URI does it: one authorize for every scope, the code redeemed for the first resource. */
export async function connectDelegated(env: GrantTestEnv, mailboxId: string, user = ADELE): Promise<{ grantId: string; tokens: TokenSuccess; resource: string }> {
  const mailbox = await getDb().mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
  const app = (await getAppRegistration(mailbox.appRegistrationId))!;
  const plan = delegatedScopePlan(usesOfMailbox(mailbox), app.endpoints, { sharedMailbox: Boolean(mailbox.signingIdentity) });
  const first = plan.resources[0]!;
  const code = await obtainAuthorizationCode(env.standIn, { tenant: app.tenant, clientId: app.clientId, scopes: plan.consentScopes, user });
  const result = await redeemAuthorizationCode({
    endpoints: app.endpoints,
    tenant: app.tenant,
    clientId: app.clientId,
    credential: await loadAppCredential(app.id),
    scopes: first.requestScopes,
    code: code.code,
    codeVerifier: code.codeVerifier,
    redirectUri: code.redirectUri,
    trustedCaPem: app.customCloud?.trustedCaPem ?? null,
  });
  if (!result.ok) throw new Error(`redeem failed: ${result.explanation.code}`);
  const id = result.idClaims!;
  const { grantId } = await saveGrantFromTokens({
    mailboxId,
    resource: first.resource,
    tokens: result,
    account: { tenantId: id.tid, objectId: id.oid, userName: id.preferredUsername, displayName: id.name },
    consentedScopes: plan.consentScopes,
  });
  return { grantId, tokens: result, resource: first.resource };
}

/** Makes every stored access token of the grant look expired (or expiring at `at`), so the next call refreshes. */
export async function expireAccessTokens(grantId: string, at: Date = new Date(Date.now() - 1000)): Promise<void> {
  await getDb().grantAccessToken.updateMany({ where: { grantId }, data: { expiresAt: at } });
}

export const refreshCount = (env: GrantTestEnv) => env.standIn.control.countRequests({ endpoint: "token", grantType: "refresh_token" });
