import { AppError } from "@/lib/errors";
import { logWarn } from "@/lib/log";
import { loadAppCredential } from "@/lib/app-registrations/app-credentials";
import type { AppRegistrationView } from "@/lib/app-registrations/app-registration-view";
import { explainMicrosoftError } from "@/lib/microsoft/aadsts-catalog";
import type { AppCredential } from "@/lib/microsoft/acquire-app-token";
import { normalizeAudience } from "@/lib/microsoft/scopes";
import { refreshWithRefreshToken, type TokenResult } from "@/lib/microsoft/token-endpoint";
import { commitRefresh } from "@/lib/grants/commit-refresh";
import { openPreviousRefreshToken, openRefreshToken } from "@/lib/grants/grant-secrets";
import { assertGrantActive, parseLastError } from "@/lib/grants/grant-state";
import { backoffExplanation, GrantUnavailableError, notConnectedExplanation, refreshBusyExplanation } from "@/lib/grants/grant-unavailable-error";
import { isLeaseHeld, refreshLeaseName, tryAcquireLease } from "@/lib/grants/lease";
import { fromStored, type MailboxAccessToken } from "@/lib/grants/mailbox-access-token";
import { loadGrant, storedTokenFor, type GrantRow } from "@/lib/grants/mailbox-token-context";
import { recordPermanentFailure, recordTransientFailure } from "@/lib/grants/record-grant-failure";
import { refreshTestHooks } from "@/lib/grants/refresh-test-hooks";
import { withRetries } from "@/lib/grants/retry-token-request";
import { classifyFailure, isFresh, isStillValid, type TokenPolicy } from "@/lib/grants/token-policy";

// One refresh per grant in flight, across every process and instance (issue #5 item 5):
//  - in this process, one promise per grant: concurrent callers await it and share its result;
//  - across processes, the lease `refresh:<grantId>`: the holder re-reads the grant, refreshes, commits and
//    releases; the others poll (small backoff, bounded) and then read what it stored.
// The refresh itself: transient failures retried inside the call; on invalid_grant the previous refresh
// token is tried once (a token that was written but never confirmed cannot strand the grant); success
// committed atomically with compare-and-set (commit-refresh.ts); failures recorded on the grant.

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

const inflight = new Map<string, { resource: string; promise: Promise<FlightOutcome> }>();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Codes that revoke the user's whole session (or ask for the user): an older refresh token would be refused
// just the same, so the fallback is not worth a request (reference §5, §6).
const USER_LEVEL_CODES = new Set([50173, 700082, 50076, 50079, 53003, 65001, 70043, 50057]);

function worthTryingPrevious(result: TokenResult): boolean {
  if (result.ok || result.oauthError !== "invalid_grant") return false;
  return !(result.errorCodes ?? []).some((c) => USER_LEVEL_CODES.has(c));
}

function lastActivity(grant: GrantRow): number {
  return Math.max(grant.lastRefreshAt?.getTime() ?? 0, grant.refreshTokenIssuedAt?.getTime() ?? 0, grant.consentedAt.getTime());
}

function usableGrant(grant: GrantRow | null): GrantRow {
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

type HeldOutcome = { kind: "done"; outcome: FlightOutcome } | { kind: "changed" };

/** The refresh proper, with the lease held. */
async function refreshHoldingLease(target: RefreshTarget, mode: RefreshMode, policy: TokenPolicy): Promise<HeldOutcome> {
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

/** Cross-process single flight: the lease, or waiting for whoever holds it. */
async function runFlight(target: RefreshTarget, mode: RefreshMode, policy: TokenPolicy): Promise<FlightOutcome> {
  const deadline = Date.now() + policy.waitForOtherRefreshMs;
  const leaseName = refreshLeaseName(target.grantId);
  let pollMs = 20;
  for (;;) {
    const grant = usableGrant(await loadGrant(target.grantId));
    const now = new Date();
    const stored = storedTokenFor(grant, target.resource);
    const storedToken = stored ? fromStored(grant.id, stored) : null;
    if (mode.kind === "access" && storedToken && isFresh(storedToken.expiresAt, now, policy)) return { token: storedToken, refreshed: false };
    if (mode.kind === "keep_alive" && lastActivity(grant) >= mode.idleBefore.getTime()) return { token: null, refreshed: false };

    if (grant.nextAttemptAt && grant.nextAttemptAt.getTime() > now.getTime()) {
      // Backing off after failed calls (field lessons #15): don't ask Microsoft; serve what is still valid.
      if (mode.kind === "keep_alive") return { token: null, refreshed: false };
      if (storedToken && isStillValid(storedToken.expiresAt, now)) return { token: storedToken, refreshed: false };
      const wait = Math.ceil((grant.nextAttemptAt.getTime() - now.getTime()) / 1000);
      throw new GrantUnavailableError("upstream_unavailable", backoffExplanation(parseLastError(grant.lastError)), wait);
    }

    if (!(await isLeaseHeld(leaseName))) {
      const lease = await tryAcquireLease(leaseName, policy.leaseTtlMs);
      if (lease) {
        let held: HeldOutcome;
        try {
          held = await refreshHoldingLease(target, mode, policy);
        } finally {
          await lease.release().catch((error: unknown) => logWarn(`Could not release the lease ${leaseName}; it lapses after its TTL.`, error));
        }
        if (held.kind === "done") return held.outcome;
        continue; // the grant changed under us (re-consent, disconnect): look again
      }
    }

    // Another process is refreshing. A still-valid token is served rather than waited for.
    if (mode.kind === "access" && storedToken && isStillValid(storedToken.expiresAt, now)) return { token: storedToken, refreshed: false };
    if (Date.now() > deadline) {
      if (mode.kind === "keep_alive") return { token: null, refreshed: false };
      throw new GrantUnavailableError("upstream_unavailable", refreshBusyExplanation, 5);
    }
    await sleep(pollMs * (0.5 + Math.random()));
    pollMs = Math.min(pollMs * 1.6, 250);
  }
}

/**
 * A current access token for the target's resource, refreshing if needed. Callers in this process share one
 * flight per grant; a flight for another resource of the same grant is waited for first (the refresh token
 * rotates per grant, not per resource).
 */
export async function refreshDelegatedToken(target: RefreshTarget, policy: TokenPolicy): Promise<MailboxAccessToken> {
  for (;;) {
    const flight = joinOrStartFlight(target, { kind: "access" }, policy);
    if (normalizeAudience(flight.resource) !== normalizeAudience(target.resource)) {
      await flight.promise.catch(() => undefined);
      continue;
    }
    const outcome = await flight.promise;
    if (outcome.token) return outcome.token;
    // A keep-alive flight that found nothing to do: start our own.
  }
}

/** Keep-alive: refresh if the grant is still idle when its turn comes; joins a flight already running. */
export async function refreshIdleGrant(target: RefreshTarget, idleBefore: Date, policy: TokenPolicy): Promise<FlightOutcome> {
  const running = inflight.get(target.grantId);
  if (running) {
    const outcome = await running.promise;
    return { token: outcome.token, refreshed: false };
  }
  return joinOrStartFlight(target, { kind: "keep_alive", idleBefore }, policy).promise;
}

function joinOrStartFlight(target: RefreshTarget, mode: RefreshMode, policy: TokenPolicy): { resource: string; promise: Promise<FlightOutcome> } {
  const running = inflight.get(target.grantId);
  if (running) return running;
  // The entry is removed before anyone awaiting the promise resumes (finally runs first).
  const promise = runFlight(target, mode, policy).finally(() => inflight.delete(target.grantId));
  const flight = { resource: target.resource, promise };
  inflight.set(target.grantId, flight);
  return flight;
}
