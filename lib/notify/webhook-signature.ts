import { createHmac, timingSafeEqual } from "node:crypto";

// The webhook signature (README, "Notifications"): HMAC-SHA256 with the channel's secret over
// `<unix seconds>.<raw body>`, sent as `X-Portal-Signature: t=<unix seconds>,v1=<hex>`. The timestamp is
// inside the signed text, so a receiver that refuses timestamps older than 5 minutes refuses a replayed
// request even though its signature is genuine. Every attempt (retries too) is signed with its own time.

export const SIGNATURE_HEADER = "X-Portal-Signature";
/** What the docs tell receivers to accept: 5 minutes either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function computeSignature(secret: string, timestampSeconds: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.${body}`, "utf8").digest("hex");
}

export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${computeSignature(secret, timestampSeconds, body)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: "malformed" | "timestamp_out_of_window" | "signature_mismatch" };

/**
 * The receiver's side, exactly as documented; used by the tests and fit to copy. Several v1 values are
 * accepted so a sender could sign with an old and a new secret while it is being changed.
 */
export function verifySignatureHeader(
  header: string | null | undefined,
  body: string,
  secret: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds: number = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: "malformed" };
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = parts.find(([k]) => k === "t")?.[1];
  const signatures = parts.filter(([k, v]) => k === "v1" && v).map(([, v]) => v!);
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) return { ok: false, reason: "malformed" };
  const timestamp = Number(t);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: "timestamp_out_of_window" };
  const expected = Buffer.from(computeSignature(secret, timestamp, body), "hex");
  const matches = signatures.some((s) => {
    const given = Buffer.from(s, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: "signature_mismatch" };
}
