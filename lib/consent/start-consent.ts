import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { adminConsentScopeFor, buildAdminConsentUrl, buildAuthorizeUrl } from "@/lib/microsoft/consent-urls";
import { createPkcePair } from "@/lib/microsoft/pkce";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import { delegatedScopePlan } from "@/lib/microsoft/scopes";
import { getInstallationFacts } from "@/lib/settings/installation-facts";
import { encryptSecret } from "@/lib/vault/vault";
import { CONSENT_REQUEST_MINUTES, randomToken, sha256 } from "@/lib/consent/consent-secrets";
import { resolveConsentLink } from "@/lib/consent/consent-links";

// Starting an authorization: a single-use state (stored hashed) bound to this browser's consent cookie
// and, for Connect, to the signed-in admin; PKCE S256; every scope of the mailbox's protocols in one
// consent screen (reference §2.3, §7). The portal's one redirect URI serves every mailbox.

export interface StartedConsent {
  /** Where to send the browser. */
  authorizeUrl: string;
  /** The value for the consent cookie (the database holds only its hash). */
  browserBinding: string;
}

export const codeVerifierContext = (stateHash: string) => `consent:${stateHash}:code-verifier`;

async function startFor(mailboxId: string, binding: { initiatedByUserId: string | null; consentLinkId: string | null }): Promise<StartedConsent> {
  const mailbox = await getDb().mailbox.findUnique({ where: { id: mailboxId } });
  if (!mailbox) throw new AppError("not_found", "That mailbox does not exist.");
  if (mailbox.authMode !== "delegated") {
    throw new AppError("validation", "This mailbox is app-only: it is connected by admin consent on its app registration, not by a user signing in.");
  }
  const app = (await getAppRegistration(mailbox.appRegistrationId))!;
  const plan = delegatedScopePlan(usesOfMailbox(mailbox), app.endpoints, { sharedMailbox: Boolean(mailbox.signingIdentity) });
  const state = randomToken();
  const stateHash = sha256(state);
  const nonce = randomToken(16);
  const pkce = createPkcePair();
  const browserBinding = randomToken();
  await getDb().consentRequest.create({
    data: {
      stateHash,
      kind: "delegated",
      mailboxId,
      consentLinkId: binding.consentLinkId,
      initiatedByUserId: binding.initiatedByUserId,
      browserBindingHash: sha256(browserBinding),
      codeVerifierEncrypted: encryptSecret(pkce.verifier, codeVerifierContext(stateHash)),
      nonce,
      expiresAt: new Date(Date.now() + CONSENT_REQUEST_MINUTES * 60_000),
    },
  });
  const authorizeUrl = buildAuthorizeUrl({
    endpoints: app.endpoints,
    tenant: app.tenant,
    clientId: app.clientId,
    redirectUri: getInstallationFacts().redirectUri,
    scopes: plan.consentScopes,
    state,
    codeChallenge: pkce.challenge,
    nonce,
    loginHint: mailbox.signingIdentity ?? mailbox.address,
    // query, not form_post: the consent cookie is SameSite=Lax and must come back with the redirect.
    responseMode: "query",
  });
  return { authorizeUrl, browserBinding };
}

/** Connect, by a signed-in admin. */
export async function startDelegatedConsent(mailboxId: string, actor: AuditActor, meta: RequestMeta): Promise<StartedConsent> {
  const started = await startFor(mailboxId, { initiatedByUserId: actor.id, consentLinkId: null });
  await recordAuditEvent({ actor, action: "consent.started", target: { type: "mailbox", id: mailboxId }, meta, details: { via: "connect" } });
  return started;
}

/** From a one-time consent link, by the mailbox owner (no portal account). */
export async function startConsentFromLink(token: string, meta: RequestMeta): Promise<StartedConsent> {
  const resolved = await resolveConsentLink(token);
  if (!resolved.ok) throw new AppError("not_found", "This consent link is no longer valid. Ask your administrator for a new one.");
  const started = await startFor(resolved.target.mailboxId, { initiatedByUserId: null, consentLinkId: resolved.target.linkId });
  await recordAuditEvent({
    actor: { id: null, label: "consent-link" },
    action: "consent.started",
    target: { type: "mailbox", id: resolved.target.mailboxId, label: resolved.target.address },
    meta,
    details: { via: "consent_link" },
  });
  return started;
}

/** Admin consent for an app registration's tenant (reference §7), by a signed-in admin. */
export async function startAdminConsent(appRegistrationId: string, actor: AuditActor, meta: RequestMeta): Promise<StartedConsent> {
  const app = await getAppRegistration(appRegistrationId);
  if (!app) throw new AppError("not_found", "That app registration does not exist.");
  const mailboxes = await getDb().mailbox.findMany({ where: { appRegistrationId, authMode: "app_only" }, select: { inboundProtocol: true, outboundProtocol: true } });
  const uses = mailboxes.flatMap(usesOfMailbox);
  const state = randomToken();
  const browserBinding = randomToken();
  await getDb().consentRequest.create({
    data: {
      stateHash: sha256(state),
      kind: "admin_consent",
      appRegistrationId,
      initiatedByUserId: actor.id,
      browserBindingHash: sha256(browserBinding),
      expiresAt: new Date(Date.now() + CONSENT_REQUEST_MINUTES * 60_000),
    },
  });
  const authorizeUrl = buildAdminConsentUrl({
    endpoints: app.endpoints,
    tenant: app.tenant,
    clientId: app.clientId,
    redirectUri: getInstallationFacts().redirectUri,
    scope: uses.length > 0 ? adminConsentScopeFor(uses, app.endpoints) : `${app.endpoints.exchangeResource}/.default`,
    state,
  });
  await recordAuditEvent({ actor, action: "admin_consent.started", target: { type: "app_registration", id: app.id, label: app.label }, meta });
  return { authorizeUrl, browserBinding };
}
