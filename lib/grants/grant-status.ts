// What the token status board shows of a grant, computed without the database or the clock (pure): its
// state, the days left before the refresh token lapses from inactivity, and the access tokens' expiry.
// Reference §5: a refresh token expires after 90 days of inactivity (sliding window, not configurable),
// counted from the last time Microsoft issued one for the grant (every refresh does).

export const REFRESH_TOKEN_INACTIVITY_DAYS = 90;
const DAY_MS = 86_400_000;

export interface GrantStatusInput {
  kind: string;
  state: string;
  consentedAt: Date;
  refreshTokenIssuedAt: Date | null;
  accessTokens: Array<{ resource: string; expiresAt: Date }>;
}

export interface GrantStatus {
  state: string;
  active: boolean;
  /** Delegated only: when the refresh token lapses if nothing refreshes it, and whole days until then (0 = today, negative = lapsed). */
  inactivityExpiresAt: Date | null;
  daysUntilInactivityExpiry: number | null;
  /** The soonest-expiring stored access token, and whether any is still valid now. */
  accessTokenExpiresAt: Date | null;
  accessTokenValid: boolean;
  accessTokens: Array<{ resource: string; expiresAt: Date; valid: boolean; secondsLeft: number }>;
}

export function grantStatus(grant: GrantStatusInput, now: Date): GrantStatus {
  const delegated = grant.kind === "delegated";
  const issued = grant.refreshTokenIssuedAt ?? grant.consentedAt;
  const inactivityExpiresAt = delegated ? new Date(issued.getTime() + REFRESH_TOKEN_INACTIVITY_DAYS * DAY_MS) : null;
  const tokens = grant.accessTokens
    .map((t) => {
      const secondsLeft = Math.floor((t.expiresAt.getTime() - now.getTime()) / 1000);
      return { resource: t.resource, expiresAt: t.expiresAt, valid: secondsLeft > 0, secondsLeft };
    })
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  return {
    state: grant.state,
    active: grant.state === "active",
    inactivityExpiresAt,
    daysUntilInactivityExpiry: inactivityExpiresAt ? Math.floor((inactivityExpiresAt.getTime() - now.getTime()) / DAY_MS) : null,
    accessTokenExpiresAt: tokens[0]?.expiresAt ?? null,
    accessTokenValid: tokens.some((t) => t.valid),
    accessTokens: tokens,
  };
}
