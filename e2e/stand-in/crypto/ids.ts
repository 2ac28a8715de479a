// Identifiers in the shapes Microsoft uses: GUIDs for trace/correlation IDs and object IDs,
// long opaque base64url strings for codes and refresh tokens.
import crypto from "node:crypto";

export function newGuid(): string {
  return crypto.randomUUID();
}

export function randomBase64Url(bytes: number): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

/** A stable GUID derived from the given parts (for objects created at runtime, e.g. consent-created SPs). */
export function derivedGuid(...parts: string[]): string {
  const h = crypto.createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Constant-time string comparison (for secrets). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  if (ab.length !== bb.length) return false;
  return crypto.timingSafeEqual(ab, bb);
}
