import { VaultError } from "@/lib/vault/cipher";
import { decryptSecret, encryptSecret } from "@/lib/vault/vault";

// Vault contexts of a grant's secrets, one per row and field (ARCHITECTURE.md, "The vault"): a ciphertext
// copied to another grant, field or resource does not open. Listed in lib/vault/encrypted-fields.ts.

export const refreshTokenContext = (grantId: string) => `grant:${grantId}:refresh-token`;
export const previousRefreshTokenContext = (grantId: string) => `grant:${grantId}:previous-refresh-token`;
export const accessTokenContext = (grantId: string, resource: string) => `grant:${grantId}:access-token:${resource}`;

export const sealRefreshToken = (grantId: string, token: string) => encryptSecret(token, refreshTokenContext(grantId));
export const sealPreviousRefreshToken = (grantId: string, token: string) => encryptSecret(token, previousRefreshTokenContext(grantId));
export const sealAccessToken = (grantId: string, resource: string, token: string) => encryptSecret(token, accessTokenContext(grantId, resource));

export function openRefreshToken(grantId: string, sealed: string): string {
  return decryptSecret(sealed, refreshTokenContext(grantId));
}

/** The previous refresh token is only a fallback: one that does not open is treated as absent. */
export function openPreviousRefreshToken(grantId: string, sealed: string | null): string | null {
  if (!sealed) return null;
  try {
    return decryptSecret(sealed, previousRefreshTokenContext(grantId));
  } catch (error) {
    if (error instanceof VaultError) return null;
    throw error;
  }
}

/**
 * A stored access token is a cache of something Microsoft reissues on demand: one that does not open (a key
 * dropped after rotation) is a miss, never a reason to fail the caller.
 */
export function openAccessToken(grantId: string, resource: string, sealed: string): string | null {
  try {
    return decryptSecret(sealed, accessTokenContext(grantId, resource));
  } catch (error) {
    if (error instanceof VaultError) return null;
    throw error;
  }
}
