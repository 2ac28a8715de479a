import { describe, expect, it } from "vitest";
import { defaultDeliveryPolicy, retryDelayMs } from "@/lib/notify/delivery-policy";

describe("delivery retry backoff", () => {
  const mid = () => 0.5; // no jitter

  it("grows ×4 from 30 s and stops after the sixth attempt", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, defaultDeliveryPolicy, mid));
    expect(delays).toEqual([30_000, 120_000, 480_000, 1_920_000, 7_200_000, null]);
  });

  it("jitters by at most 20 % either way", () => {
    expect(retryDelayMs(1, defaultDeliveryPolicy, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, defaultDeliveryPolicy, () => 0.999999)).toBeLessThanOrEqual(36_000);
  });

  it("gives up at once when only one attempt is allowed", () => {
    expect(retryDelayMs(1, { ...defaultDeliveryPolicy, maxAttempts: 1 }, mid)).toBeNull();
  });
});
