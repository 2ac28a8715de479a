import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { loadAppCredential } from "@/lib/app-registrations/app-credentials";
import { explainMicrosoftError } from "@/lib/microsoft/aadsts-catalog";
import { acquireAppToken, type AppCredential } from "@/lib/microsoft/acquire-app-token";
import { normalizeAudience } from "@/lib/microsoft/scopes";
import { accessTokenClaimsOf } from "@/lib/microsoft/token-endpoint";
import { sealAccessToken } from "@/lib/grants/grant-secrets";
import { parseLastError } from "@/lib/grants/grant-state";
import { backoffExplanation, GrantUnavailableError } from "@/lib/grants/grant-unavailable-error";
import { fromStored, type MailboxAccessToken } from "@/lib/grants/mailbox-access-token";
import { storedTokenFor, type GrantRow, type MailboxTokenContext } from "@/lib/grants/mailbox-token-context";
import { recordPermanentFailure, recordTransientFailure } from "@/lib/grants/record-grant-failure";
import { withRetries } from "@/lib/grants/retry-token-request";
import { claimsJson } from "@/lib/grants/save-grant";
import { classifyFailure, isFresh, isStillValid, type TokenPolicy } from "@/lib/grants/token-policy";

// App-only tokens (issue #5 item 4; reference §2.2, §4): client credentials with the app's secret or
// certificate, one token per app registration + tenant + resource, reused until 5 minutes before expiry.
// Kept in memory for this process (no database read of the token, no decryption per call) and in
// GrantAccessToken (other processes, the token inspector). No rotation here, so no lease: two processes
// asking at once cost one extra token, never a lost credential. Failures of the app's credential stop every
// app-only grant of that app registration: they all use the same credential.

const memory = new Map<string, MailboxAccessToken>();
const inflight = new Map<string, Promise<MailboxAccessToken>>();

function cacheKey(ctx: MailboxTokenContext): string {
  return `${ctx.app.id}|${ctx.app.tenant.toLowerCase()}|${normalizeAudience(ctx.resource)}`;
}

async function storeToken(grant: GrantRow, token: MailboxAccessToken, now: Date): Promise<void> {
  const data = { tokenEncrypted: sealAccessToken(grant.id, token.resource, token.accessToken), expiresAt: token.expiresAt, claims: claimsJson(token.claims), issuedAt: now };
  await getDb().$transaction([
    getDb().grantAccessToken.upsert({ where: { grantId_resource: { grantId: grant.id, resource: token.resource } }, create: { grantId: grant.id, resource: token.resource, ...data }, update: data }),
    getDb().grant.updateMany({ where: { id: grant.id, state: "active" }, data: { lastRefreshAt: now, failureCount: 0, nextAttemptAt: null, lastError: null } }),
  ]);
}

async function acquire(ctx: MailboxTokenContext, grant: GrantRow, stored: MailboxAccessToken | null, policy: TokenPolicy): Promise<MailboxAccessToken> {
  let credential: AppCredential;
  try {
    credential = await loadAppCredential(ctx.app.id);
  } catch (error) {
    if (error instanceof AppError) throw new GrantUnavailableError("credential_invalid", { ...explainMicrosoftError({ error: "invalid_client" }), microsoftMessage: error.message });
    throw error;
  }
  const { result } = await withRetries(
    (timeoutMs) =>
      acquireAppToken({
        endpoints: ctx.app.endpoints,
        tenant: ctx.app.tenant,
        clientId: ctx.app.clientId,
        credential,
        resource: ctx.resource,
        trustedCaPem: ctx.app.customCloud?.trustedCaPem ?? null,
        timeoutMs,
      }),
    policy,
  );
  const now = new Date();
  if (result.ok) {
    const claims = accessTokenClaimsOf(result.accessToken);
    const expiresAt = result.expiresOn ?? (claims.exp ? new Date(claims.exp * 1000) : new Date(now.getTime() + 3600_000));
    const token: MailboxAccessToken = { accessToken: result.accessToken, expiresAt, resource: ctx.resource, claims, fromCache: false };
    memory.set(cacheKey(ctx), token);
    await storeToken(grant, token, now);
    return token;
  }
  const failure = classifyFailure(result.explanation);
  if (failure.kind === "permanent") {
    const grants = await getDb().grant.findMany({
      where: { kind: "app_only", state: "active", mailbox: { appRegistrationId: ctx.app.id } },
      select: { id: true, mailboxId: true, failureCount: true },
    });
    await recordPermanentFailure(grants, failure.state, result.explanation, now);
    memory.delete(cacheKey(ctx));
    throw new GrantUnavailableError(failure.state, result.explanation);
  }
  const next = await recordTransientFailure({ id: grant.id, mailboxId: grant.mailboxId, failureCount: grant.failureCount }, result.explanation, policy, now);
  if (stored && isStillValid(stored.expiresAt, now)) return stored;
  throw new GrantUnavailableError("upstream_unavailable", result.explanation, Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 1000)));
}

/** The grant is known to be active and app-only (get-access-token.ts checked). */
export async function getAppOnlyToken(ctx: MailboxTokenContext, grant: GrantRow, policy: TokenPolicy): Promise<MailboxAccessToken> {
  const now = new Date();
  const key = cacheKey(ctx);
  const cached = memory.get(key);
  if (cached && isFresh(cached.expiresAt, now, policy)) return { ...cached, fromCache: true };

  const row = storedTokenFor(grant, ctx.resource);
  const stored = row ? fromStored(grant.id, row) : null;
  if (stored && isFresh(stored.expiresAt, now, policy)) {
    memory.set(key, stored);
    return stored;
  }
  if (grant.nextAttemptAt && grant.nextAttemptAt.getTime() > now.getTime()) {
    if (stored && isStillValid(stored.expiresAt, now)) return stored;
    throw new GrantUnavailableError("upstream_unavailable", backoffExplanation(parseLastError(grant.lastError)), Math.ceil((grant.nextAttemptAt.getTime() - now.getTime()) / 1000));
  }

  let promise = inflight.get(key);
  if (!promise) {
    promise = acquire(ctx, grant, stored, policy).finally(() => inflight.delete(key));
    inflight.set(key, promise);
  }
  return promise;
}

/** Forgets this process's app-only tokens (tests; an app registration whose credential changed). */
export function forgetAppOnlyTokens(appRegistrationId?: string): void {
  for (const key of [...memory.keys()]) if (!appRegistrationId || key.startsWith(`${appRegistrationId}|`)) memory.delete(key);
}
