import { logWarn } from "@/lib/log";
import { normalizeAudience } from "@/lib/microsoft/scopes";
import { parseLastError } from "@/lib/grants/grant-state";
import { backoffExplanation, GrantUnavailableError, refreshBusyExplanation } from "@/lib/grants/grant-unavailable-error";
import { isLeaseHeld, refreshLeaseName, tryAcquireLease } from "@/lib/grants/lease";
import { fromStored, type MailboxAccessToken } from "@/lib/grants/mailbox-access-token";
import { loadGrant, storedTokenFor } from "@/lib/grants/mailbox-token-context";
import { lastActivity, refreshGrantOnce, usableGrant, type FlightOutcome, type RefreshMode, type RefreshOnceOutcome, type RefreshTarget } from "@/lib/grants/refresh-grant-once";
import { isFresh, isStillValid, type TokenPolicy } from "@/lib/grants/token-policy";

// One refresh per grant in flight, across every process and instance (issue #5 item 5):
//  - in this process, one promise per grant: concurrent callers await it and share its result;
//  - across processes, the lease `refresh:<grantId>`: the holder refreshes (refresh-grant-once.ts), commits
//    and releases; the others poll (small backoff, bounded) and then read what it stored. A still-valid
//    token is served instead of waiting.

const inflight = new Map<string, { resource: string; promise: Promise<FlightOutcome> }>();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
        let held: RefreshOnceOutcome;
        try {
          held = await refreshGrantOnce(target, mode, policy);
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
