import { getDb } from "@/lib/db/client";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { getAccessTokenForMailbox, GrantUnavailableError } from "@/lib/grants/get-access-token";
import { runProtocolCheck, type CheckInput, type CheckOutcome } from "@/lib/protocols/protocol-check";
import { delivered, failed, type AttemptResult } from "@/lib/notify/attempt-result";
import type { EmailMessage } from "@/lib/notify/email-content";

// E-mail through one of the portal's own connected mailboxes: a current token from the token engine and the
// same SMTP XOAUTH2 / Graph sendMail code the health checks use (lib/protocols), with the notification as
// the message. The token stays in this function; failures come back in the protocol catalog's words.

export async function sendEmailViaMailbox(mailboxId: string, to: string[], message: EmailMessage, timeoutMs: number): Promise<AttemptResult> {
  const mailbox = await getDb().mailbox.findUnique({ where: { id: mailboxId } });
  if (!mailbox) return failed("the sending mailbox no longer exists; choose another on the channel", null, false);
  const protocol = mailbox.outboundProtocol;
  if (protocol !== "smtp" && protocol !== "graph") return failed(`the sending mailbox ${mailbox.address} does not send over SMTP or Graph`, null, false);
  const app = await getAppRegistration(mailbox.appRegistrationId);
  if (!app) return failed("the sending mailbox's app registration is gone", null, false);

  let token: string;
  try {
    token = (await getAccessTokenForMailbox(mailboxId, { protocol, direction: "outbound" })).accessToken;
  } catch (error) {
    if (!(error instanceof GrantUnavailableError)) throw error;
    // A grant that needs consent does not heal by itself, but an admin may fix it before the last retry.
    return failed(`the sending mailbox ${mailbox.address} has no token: ${error.explanation.title}`);
  }
  const base: CheckInput = {
    protocol,
    direction: "outbound",
    mailbox: mailbox.address,
    accessToken: token,
    authMode: mailbox.authMode === "app_only" ? "app_only" : "delegated",
    ...(mailbox.outboundHost && mailbox.outboundPort
      ? { server: { host: mailbox.outboundHost, port: mailbox.outboundPort, security: mailbox.outboundSecurity === "tls" ? "tls" : "starttls" } }
      : {}),
    graphBaseUrl: `https://${app.endpoints.graphHost}`,
    ...(app.customCloud?.trustedCaPem ? { trustedCaPem: app.customCloud.trustedCaPem } : {}),
    message,
    timeoutMs,
  };
  // SMTP takes every recipient in one message; Graph's check sends to one address, so once per recipient.
  const batches = protocol === "smtp" ? [to.join(", ")] : to;
  let last: CheckOutcome | null = null;
  for (const recipient of batches) {
    last = await runProtocolCheck({ ...base, testMessageTo: recipient });
    if (!last.ok) return failed(`${mailbox.address} could not send: ${last.explanation.title}${last.serverResponse ? ` (${last.serverResponse})` : ""}`, statusOf(last.serverResponse));
  }
  const reply = last?.ok ? last.details.serverReply : undefined;
  return delivered(typeof reply === "string" ? statusOf(reply) : protocol === "graph" ? 202 : 250);
}

/** The leading SMTP or HTTP status of a server's answer ("250 2.0.0 Ok", "403 ErrorSendAsDenied: …"). */
function statusOf(text: string | undefined): number | null {
  const m = text ? /^\s*(\d{3})\b/.exec(text) : null;
  return m ? Number(m[1]) : null;
}
