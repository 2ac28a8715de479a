// Test support for lib/notify: a real database, the real stand-in with its Dovecot and Postfix, an app
// registration pointing at it (as an admin would enter it), and mailboxes made and connected through the
// real domain functions (a real authorization code redeemed at the stand-in, lib/grants/test-support).
import { saveMailbox } from "@/lib/mailboxes/save-mailbox";
import { connectDelegated, startGrantTestEnv, type GrantTestEnv } from "@/lib/grants/test-support/grant-fixture";
import type { Provider } from "@/e2e/support/test-database";

export const actor = { id: null, label: "admin@example.com" };
export const meta = { ip: "127.0.0.1", userAgent: "vitest" };
export const ADELE = "adele.vance@contoso.com";
export const MEGAN = "megan.bowen@contoso.com";

export type NotifyTestEnv = GrantTestEnv;

export async function startNotifyTestEnv(provider: Provider, options: { mail?: boolean } = {}): Promise<NotifyTestEnv> {
  // The job is driven by the tests themselves; credentials far from expiry unless a test says otherwise.
  return startGrantTestEnv(provider, { mail: options.mail ?? true, env: { NOTIFY_INTERVAL_MINUTES: "0" }, credentialExpiresAt: "2030-06-30" });
}

/** A delegated mailbox of a fixture user, saved and connected as the redirect URI would connect it. */
export async function connectedMailbox(
  env: NotifyTestEnv,
  address: string,
  options: { inbound?: "imap" | null; outbound?: "smtp" | "graph" | null; ownerEmail?: string } = {},
): Promise<{ mailboxId: string; grantId: string }> {
  const inbound = options.inbound === undefined ? "imap" : options.inbound;
  const outbound = options.outbound === undefined ? "smtp" : options.outbound;
  const { mailbox } = await saveMailbox(
    null,
    {
      address,
      direction: inbound && outbound ? "both" : inbound ? "inbound" : "outbound",
      ...(inbound ? { inboundProtocol: inbound } : {}),
      ...(outbound ? { outboundProtocol: outbound } : {}),
      authMode: "delegated",
      appRegistrationId: env.portalAppId,
      ...(options.ownerEmail ? { ownerEmail: options.ownerEmail } : {}),
    },
    actor,
    meta,
  );
  const { grantId } = await connectDelegated(env, mailbox.id, address);
  return { mailboxId: mailbox.id, grantId };
}
