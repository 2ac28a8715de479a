import { getDb } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { loadAppCredential } from "@/lib/app-registrations/app-credentials";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { saveGrantFromTokens } from "@/lib/grants/save-grant";
import { checkMailboxNow } from "@/lib/health/check-mailbox-now";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import { explainMicrosoftError } from "@/lib/microsoft/aadsts-catalog";
import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";
import { delegatedScopePlan } from "@/lib/microsoft/scopes";
import { redeemAuthorizationCode } from "@/lib/microsoft/token-endpoint";
import { getInstallationFacts } from "@/lib/settings/installation-facts";
import { decryptSecret } from "@/lib/vault/vault";
import { portalExplanation, type ConsentOutcome, type HealthLine } from "@/lib/consent/consent-outcome";
import type { ConsentRequestRow } from "@/lib/consent/consent-request";
import { codeVerifierContext } from "@/lib/consent/start-consent";

// The delegated half of the redirect URI: explain Microsoft's error, or redeem the code (PKCE), make
// sure the account that signed in is the one this mailbox expects, store the grant, check the
// mailbox at once. Anything refused stores nothing.

export async function completeDelegatedConsent(request: ConsentRequestRow, params: URLSearchParams, actor: AuditActor, meta: RequestMeta): Promise<ConsentOutcome> {
  const mailbox = await getDb().mailbox.findUniqueOrThrow({ where: { id: request.mailboxId! } });
  const app = (await getAppRegistration(mailbox.appRegistrationId))!;
  const viaLink = request.consentLinkId !== null;
  const target = { type: "mailbox", id: mailbox.id, label: mailbox.address };
  const fail = async (explanation: ErrorExplanation): Promise<ConsentOutcome> => {
    await recordAuditEvent({ actor, action: "consent.failed", target, meta, details: { error: explanation.code, via: viaLink ? "consent_link" : "connect" } });
    return { kind: "delegated", ok: false, mailboxId: mailbox.id, address: mailbox.address, explanation, viaLink };
  };

  const error = params.get("error");
  if (error) return fail(explainMicrosoftError({ error, error_description: params.get("error_description") ?? undefined }));
  const code = params.get("code");
  if (!code || !request.codeVerifierEncrypted) {
    return fail(portalExplanation("no_code", "Microsoft sent no authorization code", "The redirect carried neither a code nor an error.", "Start again from the mailbox page or the consent link.", "retry"));
  }

  const plan = delegatedScopePlan(usesOfMailbox(mailbox), app.endpoints, { sharedMailbox: Boolean(mailbox.signingIdentity) });
  const first = plan.resources[0]!;
  const tokens = await redeemAuthorizationCode({
    endpoints: app.endpoints,
    tenant: app.tenant,
    clientId: app.clientId,
    credential: await loadAppCredential(app.id),
    scopes: first.requestScopes,
    code,
    codeVerifier: decryptSecret(request.codeVerifierEncrypted, codeVerifierContext(request.stateHash)),
    redirectUri: getInstallationFacts().redirectUri,
    trustedCaPem: app.customCloud?.trustedCaPem ?? null,
  });
  if (!tokens.ok) return fail(tokens.explanation);

  const id = tokens.idClaims;
  if (!id || id.nonce !== request.nonce) {
    return fail(portalExplanation("nonce_mismatch", "The sign-in answer could not be verified", "Microsoft's ID token did not carry the value this sign-in was started with.", "Start again; if it keeps happening, check that nothing between the browser and Microsoft rewrites requests.", "retry"));
  }
  const signedInAs = (id.preferredUsername ?? id.email ?? tokens.claims.upn ?? "").toLowerCase();
  const expected = (mailbox.signingIdentity ?? mailbox.address).toLowerCase();
  if (signedInAs !== expected) {
    return fail(
      portalExplanation(
        "wrong_account",
        "Signed in with another account",
        `Microsoft signed in ${signedInAs || "an account without a user name"}, but this mailbox expects ${expected}. Nothing was stored.`,
        `Sign out of Microsoft (or use a private window), then start again and sign in as ${expected}.${mailbox.signingIdentity ? "" : " For a shared mailbox, an admin sets the signing identity to the user who has Full Access."}`,
        "mailbox_owner",
      ),
    );
  }

  await saveGrantFromTokens({
    mailboxId: mailbox.id,
    resource: first.resource,
    tokens,
    account: { tenantId: id.tid, objectId: id.oid, userName: signedInAs, displayName: id.name },
    consentedScopes: plan.consentScopes,
  });
  if (request.consentLinkId) await getDb().consentLink.update({ where: { id: request.consentLinkId }, data: { usedAt: new Date() } });
  await recordAuditEvent({ actor, action: "grant.connected", target, meta, details: { kind: "delegated", account: signedInAs, via: viaLink ? "consent_link" : "connect" } });

  const health: HealthLine[] = (await checkMailboxNow(mailbox.id, { trigger: "connect" })).map((c) => ({
    label: c.label,
    ok: c.outcome?.ok === true,
    detail: c.outcome ? (c.outcome.ok ? Object.entries(c.outcome.details).map(([k, v]) => `${k} ${String(v)}`).join(", ") : c.outcome.explanation.title) : (c.tokenProblem?.title ?? ""),
    explanation: c.outcome && !c.outcome.ok ? c.outcome.explanation : c.tokenProblem,
  }));
  return {
    kind: "delegated",
    ok: true,
    mailboxId: mailbox.id,
    address: mailbox.address,
    account: { userName: signedInAs, tenantId: id.tid },
    scopes: tokens.scope.split(" ").filter(Boolean),
    health,
    viaLink,
  };
}
