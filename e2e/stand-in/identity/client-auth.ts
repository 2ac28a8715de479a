// Confidential-client authentication at the token endpoint: client secret (post or basic) and
// certificate client assertion (reference §5): JWT signed PS256 (x5t#S256) or RS256 (x5t),
// iss = sub = client ID, aud = the token URL, nbf/exp window.
import crypto from "node:crypto";
import { safeEqual } from "../crypto/ids";
import { decodeJwt, numericClaim, stringClaim, verifyJwtSignature } from "../crypto/jwt";
import type { RegisteredApp } from "../directory";
import { aad, type AadError } from "./errors";
import type { AppIdAcr } from "./token-factory";

const ASSERTION_NBF_SKEW_SECONDS = 300;

export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface PresentedCredential {
  clientSecret?: string;
  clientAssertion?: string;
  clientAssertionType?: string;
}

export type ClientAuthResult = { ok: true; appidacr: AppIdAcr } | { ok: false; error: AadError };

/** client_secret_basic: "Basic base64(urlencode(id):urlencode(secret))". */
export function parseBasicAuth(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  if (!header?.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function checkSecret(app: RegisteredApp, presented: string, now: Date): ClientAuthResult {
  const secrets = app.fixture.secrets;
  const live = secrets.filter((s) => new Date(s.endDateTime) > now);
  if (live.some((s) => safeEqual(s.value, presented))) return { ok: true, appidacr: "1" };
  if (secrets.some((s) => new Date(s.endDateTime) <= now && safeEqual(s.value, presented))) return { ok: false, error: aad.expiredSecret(app.clientId) };
  // Includes the Secret ID sent instead of the value (the message says so, reference §6).
  return { ok: false, error: aad.invalidSecret(app.clientId) };
}

function checkAssertion(app: RegisteredApp, assertion: string, audiences: string[], now: Date): ClientAuthResult {
  const jwt = decodeJwt(assertion);
  if (!jwt) return { ok: false, error: aad.assertionMalformed() };
  const x5tS256 = stringClaim(jwt.header, "x5t#S256");
  const x5t = stringClaim(jwt.header, "x5t");
  const cert = app.certificates.find((c) => {
    if (x5tS256) return Buffer.from(c.thumbprintSha256Hex, "hex").toString("base64url") === x5tS256;
    if (x5t) return Buffer.from(c.thumbprintSha1Hex, "hex").toString("base64url") === x5t;
    return false;
  });
  if (!cert) {
    const thumb = x5tS256 ? Buffer.from(x5tS256, "base64url").toString("hex") : x5t ? Buffer.from(x5t, "base64url").toString("hex") : "";
    return { ok: false, error: aad.certificateNotRegistered(thumb.toUpperCase(), app.clientId) };
  }
  if (!verifyJwtSignature(jwt, crypto.createPublicKey(cert.certPem))) return { ok: false, error: aad.assertionSignature() };
  const p = jwt.payload;
  if (stringClaim(p, "iss") !== app.clientId || stringClaim(p, "sub") !== app.clientId) return { ok: false, error: aad.assertionIssuer() };
  const aud = stringClaim(p, "aud") ?? (Array.isArray(p.aud) ? String(p.aud[0]) : "");
  if (!audiences.includes(aud)) return { ok: false, error: aad.assertionAudience(aud, audiences[0]!) };
  const exp = numericClaim(p, "exp");
  const nbf = numericClaim(p, "nbf") ?? numericClaim(p, "iat");
  const nowS = Math.floor(now.getTime() / 1000);
  // Microsoft tolerates a few minutes of clock skew on nbf (MSAL rounds "now" up); exp is strict.
  if (exp === undefined || nbf === undefined || exp <= nowS || nbf > nowS + ASSERTION_NBF_SKEW_SECONDS) {
    return { ok: false, error: aad.assertionTimeRange(now, new Date((nbf ?? 0) * 1000), new Date((exp ?? 0) * 1000)) };
  }
  return { ok: true, appidacr: "2" };
}

/**
 * @param audiences token URLs an assertion may name in aud (the URL as requested, and the
 *   tenant-GUID form that discovery advertises).
 */
export function authenticateClient(app: RegisteredApp, credential: PresentedCredential, audiences: string[], now: Date = new Date()): ClientAuthResult {
  if (credential.clientAssertion !== undefined) {
    if (credential.clientAssertionType !== JWT_BEARER_ASSERTION) return { ok: false, error: aad.assertionType() };
    return checkAssertion(app, credential.clientAssertion, audiences, now);
  }
  if (credential.clientSecret !== undefined) return checkSecret(app, credential.clientSecret, now);
  return { ok: false, error: aad.noClientCredential() };
}
