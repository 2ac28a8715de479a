import { getDb } from "@/lib/db/client";
import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";

// A mailbox's grant as support staff and admins see it: who consented, what, until when, and the
// last error explained. Never a token: the access token's non-secret claims only.

export const REFRESH_TOKEN_INACTIVITY_DAYS = 90; // reference §5: 90 days of inactivity, not configurable

export interface AccessTokenView {
  resource: string;
  expiresAt: Date;
  claims: Record<string, unknown>;
}

export interface ConnectionView {
  grantId: string;
  kind: "delegated" | "app_only";
  state: string;
  userName: string | null;
  displayName: string | null;
  tenantId: string | null;
  objectId: string | null;
  scopes: string[];
  consentedAt: Date;
  lastRefreshAt: Date | null;
  lastUsedAt: Date | null;
  refreshTokenIssuedAt: Date | null;
  /** Days until the refresh token lapses from inactivity (delegated only). */
  inactivityDaysLeft: number | null;
  failureCount: number;
  lastErrorAt: Date | null;
  lastError: ErrorExplanation | null;
  accessTokens: AccessTokenView[];
}

export function inactivityDaysLeft(issuedAt: Date | null, now = new Date()): number | null {
  if (!issuedAt) return null;
  return Math.floor((issuedAt.getTime() + REFRESH_TOKEN_INACTIVITY_DAYS * 86_400_000 - now.getTime()) / 86_400_000);
}

export async function getConnection(mailboxId: string): Promise<ConnectionView | null> {
  const grant = await getDb().grant.findUnique({
    where: { mailboxId },
    include: { accessTokens: { select: { resource: true, expiresAt: true, claims: true } } },
  });
  if (!grant) return null;
  return {
    grantId: grant.id,
    kind: grant.kind === "app_only" ? "app_only" : "delegated",
    state: grant.state,
    userName: grant.userName,
    displayName: grant.displayName,
    tenantId: grant.tenantId,
    objectId: grant.objectId,
    scopes: grant.scopes.split(" ").filter(Boolean),
    consentedAt: grant.consentedAt,
    lastRefreshAt: grant.lastRefreshAt,
    lastUsedAt: grant.lastUsedAt,
    refreshTokenIssuedAt: grant.refreshTokenIssuedAt,
    inactivityDaysLeft: grant.kind === "delegated" ? inactivityDaysLeft(grant.refreshTokenIssuedAt ?? grant.consentedAt) : null,
    failureCount: grant.failureCount,
    lastErrorAt: grant.lastErrorAt,
    lastError: grant.lastError ? (JSON.parse(grant.lastError) as ErrorExplanation) : null,
    accessTokens: grant.accessTokens.map((t) => ({ resource: t.resource, expiresAt: t.expiresAt, claims: JSON.parse(t.claims) as Record<string, unknown> })),
  };
}
