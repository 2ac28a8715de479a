import { createHash, randomBytes } from "node:crypto";

// Random values that travel in URLs or cookies (OAuth state, consent-link tokens, the browser
// binding) are stored only as SHA-256 hashes, so a database copy cannot be replayed.

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/** The cookie that binds an authorization request to the browser that started it. */
export const CONSENT_COOKIE = "portal_consent";
export const CONSENT_REQUEST_MINUTES = 10;
