// Checks the access tokens this stand-in issued: RS256 signature with our key, v1 issuer of a
// known tenant, nbf/exp with no clock skew (stricter than Microsoft's resources, never laxer).
// Opaque personal-account tokens are looked up. Resources (Graph, EWS, the mail servers) then
// check audience, scp/roles and mailbox access themselves.
import { decodeJwt, numericClaim, stringClaim, verifyJwtSignature, type JsonObject } from "./crypto/jwt";
import type { SigningKey } from "./crypto/signing-key";
import type { Directory } from "./directory";
import type { IdentityState } from "./identity/state";
import { v1Issuer } from "./identity/token-factory";

export type VerifyFailure = "empty" | "malformed" | "signature" | "issuer" | "expired" | "not_yet_valid";

export type VerifyResult = { ok: true; claims: JsonObject; opaque: boolean } | { ok: false; reason: VerifyFailure };

export class AccessTokenVerifier {
  constructor(
    private readonly key: SigningKey,
    private readonly state: IdentityState,
    private readonly directory: Directory,
  ) {}

  verify(token: string, nowMs: number = Date.now()): VerifyResult {
    if (!token) return { ok: false, reason: "empty" };
    const opaque = this.state.opaqueTokens.get(token);
    if (opaque) {
      if (opaque.expiresAt <= nowMs) return { ok: false, reason: "expired" };
      return { ok: true, claims: { ...opaque.claims }, opaque: true };
    }
    const jwt = decodeJwt(token);
    if (!jwt) return { ok: false, reason: "malformed" };
    if (jwt.header.kid !== this.key.kid || jwt.header.alg !== "RS256" || !verifyJwtSignature(jwt, this.key.publicKey)) {
      return { ok: false, reason: "signature" };
    }
    const tid = stringClaim(jwt.payload, "tid");
    if (!tid || !this.directory.tenantById(tid) || jwt.payload.iss !== v1Issuer(tid)) return { ok: false, reason: "issuer" };
    const now = Math.floor(nowMs / 1000);
    const exp = numericClaim(jwt.payload, "exp");
    const nbf = numericClaim(jwt.payload, "nbf");
    if (exp === undefined || exp <= now) return { ok: false, reason: "expired" };
    if (nbf !== undefined && nbf > now) return { ok: false, reason: "not_yet_valid" };
    return { ok: true, claims: jwt.payload, opaque: false };
  }

  /** The mail-servers contract: claims of a valid token, or null. */
  async verifyAccessToken(token: string): Promise<Record<string, unknown> | null> {
    const result = this.verify(token);
    return result.ok ? result.claims : null;
  }
}
