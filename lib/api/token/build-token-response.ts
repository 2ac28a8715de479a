import { buildXoauth2InitialResponse } from "@/lib/protocols/xoauth2";
import type { ApiMailbox, ApiMailboxUse } from "@/lib/api/queries/api-mailbox";
import { tokenResponseSchema } from "@/lib/api/schemas/token-schemas";
import type { CachedToken } from "@/lib/api/token/mailbox-token-source";

// The token endpoint's answer, built once per token and protocol and kept with the token as bytes:
// parsed through the schema the OpenAPI document publishes (only its fields can leave), then reused
// for every request until the token is replaced.

export function tokenResponseBody(mailbox: ApiMailbox, use: ApiMailboxUse, token: CachedToken): Buffer {
  const ready = token.bodies.get(use.protocol);
  if (ready) return ready;
  const body = tokenResponseSchema.parse({
    access_token: token.accessToken,
    token_type: "Bearer",
    expires_at: new Date(token.expiresAt).toISOString(),
    audience: token.audience,
    scopes: token.scopes,
    protocol: use.protocol,
    mailbox_id: mailbox.id,
    // Reference §3: for a shared mailbox the token is the delegate's, user= is still the shared address.
    sasl_user: mailbox.address,
    xoauth2: buildXoauth2InitialResponse(mailbox.address, token.accessToken),
    server: use.server,
  });
  const bytes = Buffer.from(JSON.stringify(body), "utf8");
  token.bodies.set(use.protocol, bytes);
  return bytes;
}
