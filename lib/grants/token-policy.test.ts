import { describe, expect, it } from "vitest";
import { explainMicrosoftError } from "@/lib/microsoft/aadsts-catalog";
import { classifyFailure, defaultTokenPolicy, isFresh, nextAttemptAt, retryDelayMs } from "@/lib/grants/token-policy";

describe("classifyFailure (issue #5 item 6)", () => {
  it.each([
    [70000, "needs_consent"],
    [70008, "needs_consent"],
    [700082, "needs_consent"],
    [50173, "needs_consent"],
    [50076, "needs_consent"],
    [50079, "needs_consent"],
    [53003, "blocked_by_policy"],
    [65001, "needs_consent"],
    [7000215, "credential_invalid"],
    [7000222, "credential_invalid"],
    [700016, "app_missing"],
    [90002, "app_missing"],
  ])("AADSTS%i is permanent and moves the grant to %s", (code, state) => {
    expect(classifyFailure(explainMicrosoftError({ error: "invalid_grant", error_codes: [code] }))).toEqual({ kind: "permanent", state });
  });

  it.each([
    ["HTTP 500", { error: "server_error", error_codes: [50000], status: 500 }],
    ["HTTP 429", { error: "temporarily_unavailable", error_codes: [50196], status: 429 }],
    ["a 502 page", { status: 502 }],
    ["a timeout", { networkCode: "ETIMEDOUT" }],
    ["refused", { networkCode: "ECONNREFUSED" }],
    ["DNS", { networkCode: "ENOTFOUND" }],
    ["an unknown answer", { status: 418 }],
  ])("%s is transient", (_, input) => {
    expect(classifyFailure(explainMicrosoftError(input))).toEqual({ kind: "transient" });
  });

  it("a TLS failure as the token endpoint reports it (permanent: false) is transient", () => {
    expect(classifyFailure({ ...explainMicrosoftError({ networkCode: "CERT_HAS_EXPIRED" }), permanent: false })).toEqual({ kind: "transient" });
  });
});

describe("retry timing", () => {
  const p = defaultTokenPolicy;
  it("exponential backoff with jitter, capped", () => {
    expect(retryDelayMs(1, undefined, p, () => 0)).toBe(125);
    expect(retryDelayMs(1, undefined, p, () => 1)).toBe(250);
    expect(retryDelayMs(2, undefined, p, () => 1)).toBe(500);
    expect(retryDelayMs(10, undefined, p, () => 1)).toBe(2000);
  });
  it("honours a short Retry-After and refuses to wait out a long one inside a call", () => {
    expect(retryDelayMs(1, 3, p)).toBe(3000);
    expect(retryDelayMs(1, 60, p)).toBeNull();
  });
  it("nextAttemptAt grows with failures and is never before Retry-After", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const after = (f: number, ra?: number) => nextAttemptAt(now, f, ra, p, () => 1).getTime() - now.getTime();
    expect(after(1)).toBe(30_000);
    expect(after(2)).toBe(60_000);
    expect(after(20)).toBe(15 * 60_000);
    expect(after(1, 120)).toBe(120_000);
  });
  it("fresh until 5 minutes before expiry", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(isFresh(new Date(now.getTime() + 5 * 60_000 + 1), now, p)).toBe(true);
    expect(isFresh(new Date(now.getTime() + 5 * 60_000), now, p)).toBe(false);
  });
});
