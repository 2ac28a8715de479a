// THE single point where a failed check gets its plain-language title, explanation, fix and actor.
//
// The texts belong to the shared catalog in lib/microsoft/aadsts-catalog.ts
// (`classifyProtocolError(protocol, { response, code, status, body })`), which also explains token
// errors. That file did not exist yet when this adapter layer was written; until it does, the
// short interim texts below stand in. Switching over means replacing the body of
// explainCheckFailure with a call to the catalog; no other file in lib/protocols holds texts.
import type { FailureFacts } from "./check-failure";
import type { ErrorClass, ProtocolName } from "./protocol-check";

export interface CheckExplanation {
  title: string;
  explanation: string;
  fix: string;
  /** Who has to act: "Microsoft 365 admin", "mailbox owner", "portal admin", "network admin", "nobody (wait)". */
  actor: string;
}

const label: Record<ProtocolName, string> = { imap: "IMAP", pop3: "POP3", smtp: "SMTP", graph: "Microsoft Graph", ews: "EWS" };

// Interim texts (see the header): one per class, the protocol name filled in.
const interim: Record<ErrorClass, (p: string) => CheckExplanation> = {
  auth_failed: (p) => ({ title: `${p} sign-in refused`, explanation: `The server refused the access token.`, fix: `Reconnect the mailbox to get a fresh token; if it keeps failing, check the diagnosis and the token's permissions.`, actor: "portal admin" }),
  protocol_disabled: (p) => ({ title: `${p} is turned off for this mailbox`, explanation: `The token looks right, but Exchange refuses ${p} for this mailbox.`, fix: `Turn ${p} on for the mailbox (Exchange admin center or Set-CASMailbox).`, actor: "Microsoft 365 admin" }),
  smtp_auth_disabled: () => ({ title: "SMTP AUTH is turned off", explanation: "Exchange answered 5.7.139: authenticated SMTP is disabled for the mailbox or the organisation.", fix: "Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false, or send through Microsoft Graph instead.", actor: "Microsoft 365 admin" }),
  send_as_denied: () => ({ title: "Not allowed to send as this address", explanation: "The login worked, but the sender may not send as the From address (5.2.252 SendAsDenied).", fix: "Grant Send As on the From address (Add-RecipientPermission … -AccessRights SendAs) or send from the mailbox's own address.", actor: "Microsoft 365 admin" }),
  not_connected: () => ({ title: "Signed in, but no access to this mailbox", explanation: "The token is valid, but its user or app has no Full Access to the mailbox (or the app's Exchange service principal has the wrong object ID).", fix: "Add-MailboxPermission -Identity <mailbox> -User <user or service principal> -AccessRights FullAccess.", actor: "Microsoft 365 admin" }),
  wrong_audience: (p) => ({ title: "Token for the wrong service", explanation: `The token was issued for another resource than ${p} accepts.`, fix: "Request the token with this protocol's scopes (outlook.office.com for IMAP/POP/SMTP, outlook.office365.com for EWS and app-only, graph.microsoft.com for Graph).", actor: "portal admin" }),
  missing_permission: (p) => ({ title: "Permission missing", explanation: `The token or the app lacks the permission ${p} needs, or a tenant policy keeps the app away from the mailbox.`, fix: "Add the permission to the app registration, grant (admin) consent and reconnect; check Application Access Policies / RBAC for Applications.", actor: "Microsoft 365 admin" }),
  mailbox_not_found: () => ({ title: "Mailbox not found", explanation: "The service knows no mailbox with this address.", fix: "Check the address; make sure the user has an Exchange Online licence and mailbox.", actor: "portal admin" }),
  tls_failed: () => ({ title: "Secure connection failed", explanation: "The TLS handshake failed: the server's certificate is not trusted, does not match the host name, or TLS is not offered.", fix: "Check host name and port; for a custom cloud, add its CA certificate.", actor: "portal admin" }),
  dns_failed: () => ({ title: "Host name not found", explanation: "The server's host name does not resolve.", fix: "Check the host name in the mailbox settings and this server's DNS.", actor: "portal admin" }),
  connection_refused: () => ({ title: "Connection refused", explanation: "Nothing accepts connections on this host and port, or a firewall rejects them.", fix: "Check host and port and that outgoing connections to them are allowed.", actor: "network admin" }),
  timeout: () => ({ title: "No answer in time", explanation: "The server did not answer within the check's time limit.", fix: "Check the host, port and firewall; try again later.", actor: "network admin" }),
  throttled: () => ({ title: "Throttled by Microsoft", explanation: "The service asked to slow down.", fix: "Nothing to change: the next check will run later. If it persists, check how many clients use this mailbox.", actor: "nobody (wait)" }),
  server_error: () => ({ title: "Server error", explanation: "The server reported an internal or temporary error.", fix: "Try again later; if it persists, check Microsoft 365 service health.", actor: "nobody (wait)" }),
  unknown: (p) => ({ title: `${p} check failed`, explanation: "The check failed for a reason it could not classify.", fix: "See the server response and the diagnosis.", actor: "portal admin" }),
};

export function explainCheckFailure(protocol: ProtocolName, errorClass: ErrorClass, _facts: FailureFacts): CheckExplanation {
  return interim[errorClass](label[protocol]);
}
