// Requests per minute per API key, as a token bucket per key in this process's memory: it holds up to
// one minute's allowance and refills continuously, so a client may burst up to its limit and then
// proceeds at the limit's pace. Several instances each allow the limit (documented): the limit protects
// the portal and Microsoft from a runaway client, it is not a billing meter.

interface Bucket {
  tokens: number;
  updatedAt: number;
  perMinute: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

const IDLE_EVICT_MS = 10 * 60_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: () => number = Date.now) {}

  take(keyId: string, perMinute: number): TakeResult {
    const now = this.clock();
    const rate = perMinute / 60_000; // tokens per millisecond
    let bucket = this.buckets.get(keyId);
    if (!bucket || bucket.perMinute !== perMinute) {
      // A changed limit starts a full bucket at the new size: never stricter than the admin asked.
      bucket = { tokens: perMinute, updatedAt: now, perMinute };
      this.buckets.set(keyId, bucket);
    } else {
      bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updatedAt) * rate);
      bucket.updatedAt = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000)) };
  }

  /** Whether the next take() would be refused, without taking (a check before costly work). */
  isExhausted(key: string, perMinute: number): boolean {
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.perMinute !== perMinute) return false;
    return bucket.tokens + (this.clock() - bucket.updatedAt) * (perMinute / 60_000) < 1;
  }

  /** Forgets buckets idle long enough to be full again. */
  sweep(): void {
    const now = this.clock();
    for (const [id, b] of this.buckets) if (now - b.updatedAt > IDLE_EVICT_MS) this.buckets.delete(id);
  }
}
