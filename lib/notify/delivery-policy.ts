// Timings of notification delivery. Pure, so the backoff can be tested; tests pass shorter ones.

export interface DeliveryPolicy {
  /** Attempts in all (the first one included); after the last failure the delivery is given up. */
  maxAttempts: number;
  /** Wait before attempt n+1 = base × factor^(n−1), at most maxDelayMs, with ±20 % jitter. */
  retryBaseDelayMs: number;
  retryFactor: number;
  retryMaxDelayMs: number;
  /** Deadline of one webhook request or one e-mail submission. */
  attemptTimeoutMs: number;
  /**
   * A claimed delivery is due again after this long: if the instance that claimed it died mid-attempt,
   * another one sends it (receivers drop the duplicate by the payload's id).
   */
  claimTimeoutMs: number;
}

/** 30 s, 2 min, 8 min, 32 min, ~2 h: six attempts over about 2.7 hours. */
export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxAttempts: 6,
  retryBaseDelayMs: 30_000,
  retryFactor: 4,
  retryMaxDelayMs: 2 * 3600_000,
  attemptTimeoutMs: 10_000,
  claimTimeoutMs: 2 * 60_000,
};

export function resolveDeliveryPolicy(overrides?: Partial<DeliveryPolicy>): DeliveryPolicy {
  return overrides ? { ...defaultDeliveryPolicy, ...overrides } : defaultDeliveryPolicy;
}

/** The wait after failed attempt `attempt` (1-based), or null when no attempt is left. */
export function retryDelayMs(attempt: number, policy: DeliveryPolicy, random: () => number = Math.random): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const step = Math.min(policy.retryBaseDelayMs * policy.retryFactor ** (attempt - 1), policy.retryMaxDelayMs);
  // Jitter spreads the retries of many deliveries that failed together (one receiver down).
  return Math.round(step * (0.8 + random() * 0.4));
}
