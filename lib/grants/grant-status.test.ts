import { describe, expect, it } from "vitest";
import { grantStatus } from "@/lib/grants/grant-status";

const now = new Date("2026-06-01T12:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe("grantStatus (reference §5: 90 days of inactivity)", () => {
  it("counts the inactivity window from the last issued refresh token", () => {
    const s = grantStatus({ kind: "delegated", state: "active", consentedAt: daysAgo(200), refreshTokenIssuedAt: daysAgo(10), accessTokens: [] }, now);
    expect(s.daysUntilInactivityExpiry).toBe(80);
    expect(s.inactivityExpiresAt).toEqual(new Date(daysAgo(10).getTime() + 90 * 86_400_000));
    expect(s.active).toBe(true);
  });

  it("falls back to the consent time, and goes negative once lapsed", () => {
    expect(grantStatus({ kind: "delegated", state: "active", consentedAt: daysAgo(89.5), refreshTokenIssuedAt: null, accessTokens: [] }, now).daysUntilInactivityExpiry).toBe(0);
    expect(grantStatus({ kind: "delegated", state: "needs_consent", consentedAt: daysAgo(95), refreshTokenIssuedAt: null, accessTokens: [] }, now)).toMatchObject({ daysUntilInactivityExpiry: -5, active: false, state: "needs_consent" });
  });

  it("app-only grants have no refresh token to lapse", () => {
    expect(grantStatus({ kind: "app_only", state: "active", consentedAt: daysAgo(400), refreshTokenIssuedAt: null, accessTokens: [] }, now)).toMatchObject({ daysUntilInactivityExpiry: null, inactivityExpiresAt: null });
  });

  it("reports the soonest access-token expiry and whether any is valid", () => {
    const s = grantStatus(
      {
        kind: "delegated",
        state: "active",
        consentedAt: daysAgo(1),
        refreshTokenIssuedAt: daysAgo(0),
        accessTokens: [
          { resource: "https://graph.microsoft.com", expiresAt: new Date(now.getTime() + 3_600_000) },
          { resource: "https://outlook.office.com", expiresAt: new Date(now.getTime() - 60_000) },
        ],
      },
      now,
    );
    expect(s.accessTokenExpiresAt).toEqual(new Date(now.getTime() - 60_000));
    expect(s.accessTokenValid).toBe(true);
    expect(s.accessTokens.map((t) => [t.resource, t.valid, t.secondsLeft])).toEqual([
      ["https://outlook.office.com", false, -60],
      ["https://graph.microsoft.com", true, 3600],
    ]);
  });
});
