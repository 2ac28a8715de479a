// How a receiver verifies a webhook, shown on the Notifications page and, word for word, in the README's
// "Notifications" section (webhook-docs.test.ts keeps the two equal). The integration tests run exactly
// these snippets as receivers, so the documentation cannot drift from what the portal sends.

export const NODE_VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from "node:crypto";

// rawBody: the request body exactly as received (string or Buffer), before any JSON parsing.
export function verifyPortalSignature(rawBody, header, secret, toleranceSeconds = 300) {
  const parts = Object.fromEntries(String(header ?? "").split(",").map((p) => p.trim().split("=")));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1) return false;
  // Older than 5 minutes (a replay) or from a clock too far off: refuse.
  if (Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(\`\${timestamp}.\`).update(rawBody).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}`;

export const PYTHON_VERIFY_SNIPPET = `import hashlib, hmac, time

def verify_portal_signature(raw_body: bytes, header: str, secret: str, tolerance_seconds: int = 300) -> bool:
    parts = dict(p.strip().split("=", 1) for p in (header or "").split(",") if "=" in p)
    try:
        timestamp, given = int(parts["t"]), parts["v1"]
    except (KeyError, ValueError):
        return False
    # Older than 5 minutes (a replay) or from a clock too far off: refuse.
    if abs(time.time() - timestamp) > tolerance_seconds:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)`;

export const EXAMPLE_HEADERS = `POST /your/receiver HTTP/1.1
Content-Type: application/json; charset=utf-8
User-Agent: MailboxOAuthPortal-Webhook/1
X-Portal-Signature: t=1767225600,v1=5f0c…(64 hex digits)
X-Portal-Event: mailbox.failing
X-Portal-Event-Id: 0b6f3c1e-8d5a-4c1b-9a57-3f1f2a0c9e11
X-Portal-Delivery-Attempt: 1`;

export const EXAMPLE_PAYLOAD = `{
  "version": 1,
  "id": "0b6f3c1e-8d5a-4c1b-9a57-3f1f2a0c9e11",
  "type": "mailbox.failing",
  "createdAt": "2026-01-01T00:00:00.000Z",
  "reminder": false,
  "portal": { "name": "Contoso IT", "url": "https://mail-oauth.example.com" },
  "subject": { "kind": "mailbox", "id": "cm5x…", "label": "helpdesk@contoso.com" },
  "state": "failing",
  "previousState": "ok",
  "since": "2026-01-01T00:00:00.000Z",
  "title": "Mailbox failing: SMTP AUTH is turned off",
  "explanation": "Exchange Online refused the SMTP login: authenticated SMTP is disabled …",
  "fix": "An Exchange admin runs Set-CASMailbox -Identity helpdesk@contoso.com -SmtpClientAuthenticationDisabled $false …",
  "actor": "admin",
  "details": { "failingProtocols": ["SMTP outbound"], "consecutiveFailedChecks": 3, "errorClass": "smtp_auth_disabled" },
  "links": { "mailbox": "https://mail-oauth.example.com/mailboxes/cm5x…", "tokenStatus": "https://mail-oauth.example.com/token-status" }
}`;
