import { createHash, randomBytes } from "node:crypto";

// PKCE with S256 (reference §7): the verifier stays with the portal, the challenge goes to /authorize.

export interface PkcePair {
  verifier: string;
  challenge: string;
  method: "S256";
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function pkceChallengeFor(verifier: string): string {
  if (!VERIFIER.test(verifier)) throw new Error("A PKCE verifier is 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~'.");
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** 32 random bytes, base64url: a 43-character verifier. */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: pkceChallengeFor(verifier), method: "S256" };
}
