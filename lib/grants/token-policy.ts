import type { ErrorExplanation, GrantState } from "@/lib/microsoft/error-explanation";

// Timings of the token lifecycle and the decisions that follow from an explained failure. Pure, so the
// numbers and the permanent/transient split can be tested without Microsoft.

export interface TokenPolicy {
  /** Issue #5 item 5: a stored access token is reused until this long before it expires. */
  refreshBeforeExpiryMs: number;
  /** Deadline of one token request (connect, TLS, answer). */
  attemptTimeoutMs: number;
  /** Attempts within one call for transient failures (network, timeout, 5xx, 429). */
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** No further attempt starts later than this after the first one: a caller waits seconds, not minutes. */
  retryBudgetMs: number;
  /** A Retry-After longer than this is not waited out inside a call; it becomes the grant's nextAttemptAt. */
  maxRetryAfterWaitMs: number;
  /** After a call whose attempts all failed: wait base × 2^(failures−1), at most max, before asking again. */
  failureBackoffBaseMs: number;
  failureBackoffMaxMs: number;
  /** Lease on `refresh:<grantId>`: renewed every third of this while the refresh runs, so a crashed holder blocks others for at most this long. */
  leaseTtlMs: number;
  /** How long a caller waits for another process's refresh before giving up (serving a still-valid token if there is one). */
  waitForOtherRefreshMs: number;
  /** lastUsedAt is written at most this often per grant. */
  lastUsedWriteIntervalMs: number;
}

export const defaultTokenPolicy: TokenPolicy = {
  refreshBeforeExpiryMs: 5 * 60_000,
  attemptTimeoutMs: 10_000,
  maxAttempts: 3,
  retryBaseDelayMs: 250,
  retryMaxDelayMs: 2_000,
  retryBudgetMs: 8_000,
  maxRetryAfterWaitMs: 5_000,
  failureBackoffBaseMs: 30_000,
  failureBackoffMaxMs: 15 * 60_000,
  leaseTtlMs: 30_000,
  waitForOtherRefreshMs: 45_000,
  lastUsedWriteIntervalMs: 60_000,
};

export function resolvePolicy(overrides: Partial<TokenPolicy> | undefined): TokenPolicy {
  return overrides ? { ...defaultTokenPolicy, ...overrides } : defaultTokenPolicy;
}

export type FailureKind = { kind: "permanent"; state: GrantState } | { kind: "transient" };

/**
 * Issue #5 item 6: permanent failures (invalid_grant 70000/70008/700082/50173, MFA 50076/50079, CA 53003,
 * consent 65001, secret 7000215/7000222, app 700016, tenant 90002) carry a grantState in the catalog and move
 * the grant there; everything else (network, timeout, 5xx, 429, unknown answers) is retried later.
 */
export function classifyFailure(explanation: ErrorExplanation): FailureKind {
  if (explanation.permanent && explanation.grantState) return { kind: "permanent", state: explanation.grantState };
  return { kind: "transient" };
}

/** Full jitter around an exponential step: spreads the retries of many grants (field lessons #15). */
function jittered(ms: number, random: () => number): number {
  return Math.round(ms / 2 + random() * (ms / 2));
}

/**
 * Delay before the next attempt inside a call, or null to stop now: Retry-After is honoured when it fits the
 * policy (reference §6, issue #5 item 6), else exponential backoff with jitter.
 */
export function retryDelayMs(attempt: number, retryAfterSeconds: number | undefined, policy: TokenPolicy, random: () => number = Math.random): number | null {
  if (retryAfterSeconds !== undefined) {
    const wait = retryAfterSeconds * 1000;
    return wait <= policy.maxRetryAfterWaitMs ? wait : null;
  }
  return jittered(Math.min(policy.retryBaseDelayMs * 2 ** (attempt - 1), policy.retryMaxDelayMs), random);
}

/** When to ask Microsoft again after `failures` consecutive failed calls (and at least Retry-After). */
export function nextAttemptAt(now: Date, failures: number, retryAfterSeconds: number | undefined, policy: TokenPolicy, random: () => number = Math.random): Date {
  const backoff = jittered(Math.min(policy.failureBackoffBaseMs * 2 ** Math.max(0, failures - 1), policy.failureBackoffMaxMs), random);
  return new Date(now.getTime() + Math.max(backoff, (retryAfterSeconds ?? 0) * 1000));
}

/** A stored access token is good to hand out while more than refreshBeforeExpiryMs remain. */
export function isFresh(expiresAt: Date, now: Date, policy: TokenPolicy): boolean {
  return expiresAt.getTime() - now.getTime() > policy.refreshBeforeExpiryMs;
}

/** Still valid at all (a margin for the time it takes the caller to use it): served when a refresh fails transiently. */
export function isStillValid(expiresAt: Date, now: Date): boolean {
  return expiresAt.getTime() - now.getTime() > 30_000;
}
