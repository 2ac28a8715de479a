// Exchange Online's reply texts, and what this stand-in can make Dovecot and Postfix say.
// Sources: the shared reference microsoft-365-mail-oauth.md §1.3 and §3 ("reference"), and the
// protocol logs quoted in the issues it cites ([I2], [I3]).
//
// Dovecot and Postfix wrap a custom reason in their own framing, which cannot be configured:
//   IMAP  imap-login sends "<tag> NO <reason>" when the reason starts with "[", so the reason
//         below yields "<tag> NO [AUTHENTICATIONFAILED] AUTHENTICATE failed." (Exchange:
//         "<tag> NO AUTHENTICATE failed."; the RFC 5530 code is the only difference).
//   POP3  pop3-login sends "-ERR [AUTH] <reason>" (Exchange: "-ERR <reason>").
//   SMTP  Postfix sends "535 5.7.8 Error: authentication failed: <reason>" (smtpd_sasl_glue.c),
//         so each reason carries Exchange's own enhanced status code in its text:
//         "535 5.7.8 Error: authentication failed: 5.7.3 Authentication unsuccessful".

export type MailService = "imap" | "pop3" | "smtp";

/** Reference §3 failure samples: wrong audience, expired, bad signature, disabled protocol. */
export const GENERIC_REFUSAL: Readonly<Record<MailService, string>> = {
  imap: "[AUTHENTICATIONFAILED] AUTHENTICATE failed.",
  pop3: "Authentication failure: unknown user name or bad password.",
  smtp: "5.7.3 Authentication unsuccessful",
};

/** Reference §3 [I3]: the per-mailbox variant of the SmtpClientAuthentication refusal. */
export const SMTP_AUTH_DISABLED_FOR_MAILBOX =
  "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. " +
  "Visit https://aka.ms/smtp_auth_disabled for more information.";

/** Reference §3 [I3]: a password (PLAIN/LOGIN) instead of a token. */
export const SMTP_BASIC_AUTH_DISABLED = "5.7.139 Authentication unsuccessful, basic authentication is disabled.";

/** Reference §3 [I2]: authenticated, but no access to the mailbox named in user=. */
export const IMAP_NOT_CONNECTED = "User is authenticated but not connected.";

/** Sent by Exchange after the second not-connected BAD, then it closes the connection ([I2] logs). */
export const IMAP_NOT_CONNECTED_BYE = "* BYE Connection closed. 14";

/** Reference §3: "554 5.2.252 SendAsDenied", with the wording the brief for this stand-in fixes. */
export function sendAsDenied(authenticatedMailbox: string, from: string): string {
  return `554 5.2.252 SendAsDenied; ${authenticatedMailbox} not allowed to send as ${from}`;
}

/** Exchange answers MAIL FROM on an unauthenticated submission session with this. */
export const SMTP_NOT_AUTHENTICATED = "530 5.7.57 Client not authenticated to send mail.";

/** Capabilities Exchange Online lists after login ([I2] logs), minus its private extensions. */
export const EXCHANGE_IMAP_CAPABILITIES =
  "IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+";

export const IMAP_GREETING = "The Microsoft Exchange IMAP4 service is ready.";
export const POP3_GREETING = "The Microsoft Exchange POP3 service is ready.";
