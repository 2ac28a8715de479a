import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// An API key is `mop_<prefix>_<secret>`: "mop" says whose key it is (secret scanners can match it), the
// prefix (8 base62 characters) is stored in clear to tell keys apart in lists and audit records, and the
// secret is 43 base62 characters = 256 bits from the CSPRNG. Only SHA-256 of the whole key is stored: the
// key is random and long, so a slow password hash would add cost without adding safety.

export const API_KEY_TAG = "mop";
const PREFIX_LENGTH = 8;
/** 43 × log2(62) ≈ 256.03 bits. */
const SECRET_LENGTH = 43;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_SHAPE = /^mop_([0-9A-Za-z]{8})_([0-9A-Za-z]{43})$/;

/** Uniform base62 characters by rejection sampling (bytes ≥ 248 would bias the first characters). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue;
      out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export interface GeneratedApiKey {
  /** The whole key: shown once to the admin who created it, never stored. */
  key: string;
  /** `mop_<8 characters>`: stored and shown. */
  prefix: string;
  keyHash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = `${API_KEY_TAG}_${randomBase62(PREFIX_LENGTH)}`;
  const key = `${prefix}_${randomBase62(SECRET_LENGTH)}`;
  return { key, prefix, keyHash: hashApiKey(key) };
}

/** SHA-256 (hex) of the whole key, as stored in ApiKey.keyHash. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The visible prefix of a well-formed key, or null: a malformed bearer value is refused without a lookup. */
export function prefixOfApiKey(value: string): string | null {
  const match = KEY_SHAPE.exec(value);
  return match ? `${API_KEY_TAG}_${match[1]}` : null;
}

/** Constant-time comparison of two hex hashes (defence in depth; lookups go by the unique hash). */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}
