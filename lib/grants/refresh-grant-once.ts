import { AppError } from "@/lib/errors";
import { loadAppCredential } from "@/lib/app-registrations/app-credentials";
import type { AppRegistrationView } from "@/lib/app-registrations/app-registration-view";
import { explainMicrosoftError } from "@/lib/microsoft/aadsts-catalog";
import type { AppCredential } from "@/lib/microsoft/acquire-app-token";
import { refreshWithRefreshToken, type TokenResult } from "@/lib/microsoft/token-endpoint";
import { commitRefresh } from "@/lib/grants/commit-refresh";
import { openPreviousRefreshToken, openRefreshToken } from "@/lib/grants/grant-secrets";
import { assertGrantActive } from "@/lib/grants/grant-state";
import { GrantUnavailableError, notConnectedExplanation } from "@/lib/grants/grant-unavailable-error";
import { fromStored, type MailboxAccessToken } from "@/lib/grants/mailbox-access-token";
import { loadGrant, storedTokenFor, type GrantRow } from "@/lib/grants/mailbox-token-context";
import { recordPermanentFailure, recordTransientFailure } from "@/lib/grants/record-grant-failure";
import { refreshTestHooks } from "@/lib/grants/refresh-test-hooks";
import { withRetries } from "@/lib/grants/retry-token-request";
import { classifyFailure, isFresh, isStillValid, type TokenPolicy } from "@/lib/grants/token-policy";

// The refresh proper, run by whoever holds the grant's lease (refresh-delegated-grant.ts): re-read the
// grant, ask Microsoft with the current refresh token (transient failures retried inside the call), on
// invalid_grant try the previous refresh token once (a token that was written but never confirmed cannot
// strand the grant), then commit atomically with compare-and-set (commit-refresh.ts) or record the failure.

export interface RefreshTarget {
  grantId: string;
  mailboxId: string;
  app: AppRegistrationView;
  resource: string;
  requestScopes: string[];
}

export type RefreshMode = { kind: "access" } | { kind: "keep_alive"; idleBefore: Date };

export interface FlightOutcome {
  /** Null when a keep-alive found the grant no longer idle. */
  token: MailboxAccessToken | null;
  /** True when this flight got a new token from Microsoft. */
  refreshed: boolean;
}

/** done: the outcome; changed: the grant was written by someone else meanwhile (look again). */
export type RefreshOnceOutcome = { kind: "done"; outcome: FlightOutcome } | { kind: "changed" };

// Codes that revoke the user's whole session (or ask for the user): an older refresh token would be refused
// just the same, so the fallback is not worth a request (reference §5, §6).
const USER_LEVEL_CODES = new Set([50173, 700082, 50076, 50079, 53003, 65001, 70043, 50057]);

function worthTryingPrevious(result: TokenResult): boolean {
  if (result.ok || result.oauthError !== "invalid_grant") return false;
  return !(result.errorCodes ?? []).some((c) => USER_LEVEL_CODES.has(c));
}

export function lastActivity(grant: GrantRow): number {
  return Math.max(grant.lastRefreshAt?.getTime() ?? 0, grant.refreshTokenIssuedAt?.getTime() ?? 0, grant.consentedAt.getTime());
}

export function usableGrant(grant: GrantRow | null): GrantRow {
  if (!grant) throw new GrantUnavailableError("not_connected", notConnectedExplanation);
  assertGrantActive(grant);
  return grant;
}

async function credentialOf(app: AppRegistrationView): Promise<AppCredential> {
  try {
    return await loadAppCredential(app.id);
  } catch (error) {
    // The app registration has no secret or certificate yet: a configuration gap, not Microsoft's refusal.
    if (error instanceof AppError) throw new GrantUnavailableError("credential_invalid", { ...explainMicrosoftError({ error: "invalid_client" }), microsoftMessage: error.message });
    throw error;
  }
}

/** The refresh proper; the caller holds the lease `refresh:<grantId>`. */
export async function refreshGrantOnce(target: RefreshTarget, mode: RefreshMode, policy: TokenPolicy): Promise<RefreshOnceOutcome> {
  // Re-read under the lease: another process may have finished between our first read and our lease.
  const grant = usableGrant(await loadGrant(target.grantId));
  const stored = storedTokenFor(grant, target.resource);
  const storedToken = stored ? fromStored(grant.id, stored) : null;
  if (mode.kind === "access" && storedToken && isFresh(storedToken.expiresAt, new Date(), policy)) return { kind: "done", outcome: { token: storedToken, refreshed: false } };
  if (mode.kind === "keep_alive" && lastActivity(grant) >= mode.idleBefore.getTime()) return { kind: "done", outcome: { token: null, refreshed: false } };
  if (!grant.refreshTokenEncrypted) throw new GrantUnavailableError("needs_consent", explainMicrosoftError({ error: "invalid_grant" }));

  const current = openRefreshToken(grant.id, grant.refreshTokenEncrypted);
  const previous = openPreviousRefreshToken(grant.id, grant.previousRefreshTokenEncrypted);
  const credential = await credentialOf(target.app);
  const send = (refreshToken: string) => (timeoutMs: number) =>
    refreshWithRefreshToken({
      endpoints: target.app.endpoints,
      tenant: target.app.tenant,
      clientId: target.app.clientId,
      credential,
      scopes: target.requestScopes,
      refreshToken,
      trustedCaPem: target.app.customCloud?.trustedCaPem ?? null,
      timeoutMs,
    });

  let used = current;
  let { result } = await withRetries(send(current), policy);
  if (!result.ok && previous && previous !== current && worthTryingPrevious(result)) {
    used = previous;
    ({ result } = await withRetries(send(previous), policy));
  }
  await refreshTestHooks().afterTokenResponse?.();

  const now = new Date();
  if (result.ok) {
    const committed = await commitRefresh({ grantId: grant.id, expectedVersion: grant.refreshTokenVersion, usedRefreshToken: used, tokens: result, resource: target.resource, now });
    if (!committed) return { kind: "changed" };
    const token: MailboxAccessToken = {
      accessToken: result.accessToken,
      expiresAt: new Date(now.getTime() + result.expiresIn * 1000),
      resource: target.resource,
      claims: result.claims,
      fromCache: false,
    };
    return { kind: "done", outcome: { token, refreshed: true } };
  }

  const failed = { id: grant.id, mailboxId: grant.mailboxId, failureCount: grant.failureCount, refreshTokenVersion: grant.refreshTokenVersion };
  const failure = classifyFailure(result.explanation);
  if (failure.kind === "permanent") {
    await recordPermanentFailure([failed], failure.state, result.explanation, now);
    throw new GrantUnavailableError(failure.state, result.explanation);
  }
  const next = await recordTransientFailure(failed, result.explanation, policy, now);
  // Issue #5 item 6: the grant stays usable while its access token lasts.
  if (storedToken && isStillValid(storedToken.expiresAt, now)) return { kind: "done", outcome: { token: storedToken, refreshed: false } };
  throw new GrantUnavailableError("upstream_unavailable", result.explanation, Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 1000)));
}

