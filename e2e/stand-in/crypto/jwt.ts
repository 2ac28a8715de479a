// Compact JWS (RFC 7515) for RS256 and PS256 with node:crypto only: signing the stand-in's tokens
// and verifying client assertions. No JWT library: the rules we need are few and explicit here.
import crypto, { type KeyObject } from "node:crypto";
import { z } from "zod";

export type JwsAlgorithm = "RS256" | "PS256";

export type JsonObject = Record<string, unknown>;

export interface DecodedJwt {
  header: JsonObject;
  payload: JsonObject;
  signingInput: string;
  signature: Buffer;
}

const jsonObject = z.record(z.string(), z.unknown());

export function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

function signOptions(alg: JwsAlgorithm, key: KeyObject): crypto.SignKeyObjectInput | KeyObject {
  // RFC 7518 §3.5: PS256 uses a salt as long as the hash (32 bytes).
  return alg === "PS256" ? { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key;
}

export function signJwt(header: JsonObject, payload: JsonObject, privateKey: KeyObject, alg: JwsAlgorithm = "RS256"): string {
  const signingInput = `${base64UrlJson({ ...header, alg })}.${base64UrlJson(payload)}`;
  const signature = crypto.sign("sha256", Buffer.from(signingInput), signOptions(alg, privateKey));
  return `${signingInput}.${signature.toString("base64url")}`;
}

/** Splits and parses a compact JWS; null when it is not one (wrong part count, bad base64/JSON). */
export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return null;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = jsonObject.safeParse(JSON.parse(Buffer.from(h, "base64url").toString("utf8")));
    const payload = jsonObject.safeParse(JSON.parse(Buffer.from(p, "base64url").toString("utf8")));
    if (!header.success || !payload.success) return null;
    return { header: header.data, payload: payload.data, signingInput: `${h}.${p}`, signature: Buffer.from(s, "base64url") };
  } catch {
    return null;
  }
}

export function verifyJwtSignature(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  const alg = jwt.header.alg;
  if (alg !== "RS256" && alg !== "PS256") return false;
  try {
    return crypto.verify("sha256", Buffer.from(jwt.signingInput), signOptions(alg, publicKey), jwt.signature);
  } catch {
    return false;
  }
}

export function numericClaim(payload: JsonObject, name: string): number | undefined {
  const v = payload[name];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function stringClaim(payload: JsonObject, name: string): string | undefined {
  const v = payload[name];
  return typeof v === "string" ? v : undefined;
}
