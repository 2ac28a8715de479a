import { describe, expect, it } from "vitest";
import { TokenBuckets } from "@/lib/api/rate-limit/token-buckets";

describe("token buckets per key", () => {
  it("allows a burst of one minute's limit, then the limit's pace, and says when to retry", () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    for (let i = 0; i < 60; i++) expect(buckets.take("k", 60).ok).toBe(true);
    expect(buckets.take("k", 60)).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1000;
    expect(buckets.take("k", 60).ok).toBe(true);
    expect(buckets.take("k", 60).ok).toBe(false);
    expect(buckets.take("other", 60).ok).toBe(true);
  });

  it("a slow limit: Retry-After is the time to the next request, rounded up", () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    for (let i = 0; i < 3; i++) buckets.take("k", 3);
    expect(buckets.take("k", 3)).toEqual({ ok: false, retryAfterSeconds: 20 });
    now += 19_000;
    expect(buckets.take("k", 3)).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1000;
    expect(buckets.take("k", 3).ok).toBe(true);
  });

  it("a changed limit applies at once", () => {
    const buckets = new TokenBuckets(() => 0);
    buckets.take("k", 1);
    expect(buckets.take("k", 1).ok).toBe(false);
    expect(buckets.take("k", 100).ok).toBe(true);
  });
});
