// SASL XOAUTH2 (reference §3, Google's XOAUTH2 protocol page [W6]): the initial client response
// and the server's error challenge. Used by the POP3 and SMTP adapters here and by the token API.

const SOH = "\x01";

/**
 * base64("user=" + user + "\x01auth=Bearer " + token + "\x01\x01") (reference §3).
 * `user` is the mailbox address (for a shared mailbox: the shared address, reference §3).
 * The result carries the token: never log it, never put it in an error.
 */
export function buildXoauth2InitialResponse(user: string, accessToken: string): string {
  if (user.length === 0) throw new TypeError("XOAUTH2 needs a user (the mailbox address)");
  if (accessToken.length === 0) throw new TypeError("XOAUTH2 needs an access token");
  // A control character would end the field early and let a value inject another field.
  if (/[\x00-\x1f\x7f]/.test(user)) throw new TypeError("the XOAUTH2 user must not contain control characters");
  if (/[\x00-\x1f\x7f\s]/.test(accessToken)) throw new TypeError("an access token must not contain whitespace or control characters");
  return Buffer.from(`user=${user}${SOH}auth=Bearer ${accessToken}${SOH}${SOH}`, "utf8").toString("base64");
}

/** The JSON a server sends base64-encoded as its error challenge (`+ <b64>` / `334 <b64>`), e.g. {"status":"401","schemes":"bearer","scope":"mail"}. */
export interface Xoauth2ErrorChallenge {
  status?: string;
  schemes?: string;
  scope?: string;
}

/** Decodes an error challenge; undefined when the text is not base64 JSON (then it is no challenge we understand). */
export function decodeXoauth2ErrorChallenge(base64Text: string): Xoauth2ErrorChallenge | undefined {
  const text = base64Text.trim();
  if (text.length === 0 || !/^[A-Za-z0-9+/]+=*$/.test(text)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, "base64").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    const out: Xoauth2ErrorChallenge = {};
    for (const key of ["status", "schemes", "scope"] as const) {
      const value = (parsed as Record<string, unknown>)[key];
      if (typeof value === "string" || typeof value === "number") out[key] = String(value);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** "status 401, schemes bearer, scope mail": the challenge in words, for a server response shown to people. */
export function describeXoauth2ErrorChallenge(challenge: Xoauth2ErrorChallenge): string {
  const parts = Object.entries(challenge).map(([k, v]) => `${k} ${v}`);
  return parts.length ? `XOAUTH2 error challenge (${parts.join(", ")})` : "XOAUTH2 error challenge";
}
