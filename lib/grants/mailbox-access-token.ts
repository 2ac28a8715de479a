import type { AccessTokenClaims } from "@/lib/microsoft/token-endpoint";
import { openAccessToken } from "@/lib/grants/grant-secrets";
import type { StoredAccessToken } from "@/lib/grants/mailbox-token-context";

/** What getAccessTokenForMailbox hands out. The token goes to the protocol client and nowhere else. */
export interface MailboxAccessToken {
  accessToken: string;
  expiresAt: Date;
  /** The token's audience resource (reference §2.3). */
  resource: string;
  /** Non-secret claims (aud, scp/roles, tid, oid, upn, exp), for the inspector and checks. */
  claims: AccessTokenClaims;
  /** True when a stored token was reused; false when this call (or the one it joined) got it from Microsoft. */
  fromCache: boolean;
}

const emptyClaims: AccessTokenClaims = { aud: null, scp: null, roles: [], tid: null, oid: null, upn: null, exp: null };

function parseClaims(json: string): AccessTokenClaims {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null ? { ...emptyClaims, ...(value as Partial<AccessTokenClaims>) } : emptyClaims;
  } catch {
    return emptyClaims;
  }
}

/** A stored access token opened, or null when its ciphertext no longer opens (treated as a cache miss). */
export function fromStored(grantId: string, stored: StoredAccessToken): MailboxAccessToken | null {
  const accessToken = openAccessToken(grantId, stored.resource, stored.tokenEncrypted);
  if (accessToken === null) return null;
  return { accessToken, expiresAt: stored.expiresAt, resource: stored.resource, claims: parseClaims(stored.claims), fromCache: true };
}
