import type { Actor, CatalogEntry, ErrorClass, GrantState } from "@/lib/microsoft/error-explanation";
import type { Protocol } from "@/lib/microsoft/protocols";

// Mail-protocol failures (reference §3, field lessons #7, #9–#11) and the rules that recognise them in a
// server's reply. SMTP rules match the enhanced status code anywhere in the text ("5.7.139"), because a
// Postfix-based server wraps Exchange's text in its own ("535 5.7.8 Error: authentication failed: 5.7.139 …").

export interface ProtocolSignals {
  /** The server's reply line(s) and body text, as received. */
  text: string;
  status?: number;
  /** Graph: error.code / error.message from the JSON body. */
  graphCode?: string;
  graphMessage?: string;
  /** EWS: the ResponseCode / fault code from the SOAP body (ErrorImpersonateUserDenied, …). */
  ewsCode?: string;
  /** EWS: the x-ms-diagnostics header of a 401. */
  diagnostics?: string;
}

export interface ProtocolRule {
  protocols: readonly Protocol[];
  matches: (s: ProtocolSignals) => boolean;
  entry: CatalogEntry;
}

function entry(code: string, errorClass: ErrorClass, actor: Actor, permanent: boolean, title: string, explanation: string, fix: string, grantState?: GrantState): CatalogEntry {
  return { code, title, explanation, fix, actor, permanent, errorClass, ...(grantState ? { grantState } : {}) };
}

const has = (pattern: RegExp) => (s: ProtocolSignals) => pattern.test(s.text);

const INSPECT = "Open the token inspector on the mailbox page: it shows whether the token's audience and scopes or roles fit the protocol.";

export const protocolEntries = {
  imapNotConnected: entry(
    "imap_not_connected",
    "mailbox_access",
    "admin",
    true,
    "Signed in, but no access to the mailbox",
    "Exchange accepted the token (\"User is authenticated but not connected\") but the account behind it may not open the mailbox named in user=.",
    "App-only: run Add-MailboxPermission -Identity {mailbox} -User <service principal> -AccessRights FullAccess, and check that New-ServicePrincipal used the Enterprise application's Object ID (not the app registration's). Shared mailbox: give the signing user FullAccess. Otherwise make the mailbox address the token's own user.",
  ),
  imapAuthFailed: entry(
    "imap_authenticate_failed",
    "authentication",
    "admin",
    true,
    "IMAP login refused",
    "Exchange answered \"AUTHENTICATE failed\", which it also says when IMAP is turned off for the mailbox. Common causes: a token for the wrong audience or without IMAP.AccessAsUser.All / IMAP.AccessAsApp, IMAP disabled for the mailbox, or (app-only) the service principal not registered in Exchange.",
    `Run Set-CASMailbox -Identity {mailbox} -ImapEnabled $true. ${INSPECT} App-only: run New-ServicePrincipal from the setup guide.`,
  ),
  popAuthFailed: entry(
    "pop3_authentication_failure",
    "authentication",
    "admin",
    true,
    "POP3 login refused",
    "Exchange answered \"-ERR Authentication failure\", which it also says when POP is turned off for the mailbox or the app has no access to it. Common causes: a token for the wrong audience or without POP.AccessAsUser.All / POP.AccessAsApp, POP disabled for the mailbox, or (app-only) no FullAccess for the service principal.",
    `Run Set-CASMailbox -Identity {mailbox} -PopEnabled $true. App-only: Add-MailboxPermission -Identity {mailbox} -User <service principal> -AccessRights FullAccess. ${INSPECT}`,
  ),
  smtpAuthDisabled: entry(
    "smtp_5.7.139_smtp_auth_disabled",
    "protocol_disabled",
    "admin",
    true,
    "SMTP AUTH is turned off",
    "Exchange refused the login with 535 5.7.139: SMTP AUTH (client submission) is disabled for the mailbox or the whole organisation. Organisations created after January 2020 have it off by default.",
    "Run Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false (this overrides the organisation's setting for this mailbox), or send through Microsoft Graph sendMail instead of SMTP.",
  ),
  smtpBasicAuthDisabled: entry(
    "smtp_5.7.139_basic_auth_disabled",
    "authentication",
    "portal_operator",
    true,
    "Password login refused",
    "Exchange refused a password (basic authentication is disabled, or security defaults block it). The connection did not use OAuth.",
    "Use the OAuth (XOAUTH2) login the portal provides; a password no longer works for Microsoft 365 SMTP.",
  ),
  smtp5739Other: entry(
    "smtp_5.7.139",
    "authentication",
    "admin",
    true,
    "SMTP login refused (5.7.139)",
    "Exchange refused the login with 5.7.139 for a reason this portal does not recognise.",
    "Read Microsoft's reply below; most often SMTP AUTH is disabled: Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false.",
  ),
  smtpBasicNotSupported: entry(
    "smtp_5.7.30",
    "authentication",
    "portal_operator",
    true,
    "Basic authentication not supported",
    "Exchange no longer accepts passwords for client submission (550 5.7.30).",
    "Use the OAuth (XOAUTH2) login the portal provides.",
  ),
  smtpSendAsDenied: entry(
    "smtp_5.2.252_send_as_denied",
    "send_as",
    "admin",
    true,
    "Not allowed to send as this address",
    "The From address is not the authenticated mailbox, and the account has no Send As right on it (554 5.2.252 SendAsDenied).",
    "Run Add-RecipientPermission -Identity <From address> -Trustee <signing user or service principal> -AccessRights SendAs -Confirm:$false, or send from the mailbox's own address.",
  ),
  smtpNotAuthenticated: entry(
    "smtp_5.7.57",
    "authentication",
    "portal_operator",
    true,
    "Sent without logging in",
    "The server refused MAIL FROM because the session was not authenticated (530 5.7.57).",
    "Report it: the portal must log in (AUTH XOAUTH2) before sending.",
  ),
  smtpAuthUnsuccessful: entry(
    "smtp_5.7.3_auth_unsuccessful",
    "authentication",
    "admin",
    true,
    "SMTP login refused",
    "Exchange refused the token (535 5.7.3 Authentication unsuccessful). Common causes: a token for the wrong audience or without SMTP.Send / SMTP.SendAsApp, user= not matching the token's user, or (app-only) the service principal not registered in Exchange or without FullAccess on the mailbox.",
    `${INSPECT} App-only: run New-ServicePrincipal and Add-MailboxPermission from the setup guide. If SMTP AUTH is off for the mailbox, run Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false.`,
  ),
  smtpTemporary: entry(
    "smtp_4xx",
    "throttled",
    "retry",
    false,
    "Temporary SMTP failure",
    "The server answered with a temporary (4xx) failure, for example too many connections or messages at once.",
    "The portal retries later. Exchange Online allows about 30 messages per minute per mailbox.",
  ),
  smtpQuotaExceeded: entry(
    "smtp_submission_quota",
    "throttled",
    "retry",
    false,
    "Sending limit reached",
    "Exchange refused the message because the mailbox reached its sending limit.",
    "Wait for the limit to reset (Exchange Online limits recipients per day and messages per minute) and send less at once.",
  ),
  graphWrongAudience: entry(
    "graph_401_invalid_audience",
    "wrong_audience",
    "portal_operator",
    true,
    "Token for the wrong API",
    "Microsoft Graph refused the token: it was issued for another resource (for example an Outlook token from https://outlook.office.com scopes).",
    "Graph needs a token for https://graph.microsoft.com (scopes such as https://graph.microsoft.com/Mail.Read). Check the custom cloud's Graph resource URI; otherwise report it.",
  ),
  graphTokenExpired: entry(
    "graph_401_token_expired",
    "authentication",
    "retry",
    false,
    "Token expired",
    "Microsoft Graph refused an expired access token.",
    "The portal gets a fresh token and tries again.",
  ),
  graphInvalidToken: entry(
    "graph_401_invalid_token",
    "authentication",
    "portal_operator",
    true,
    "Token refused by Microsoft Graph",
    "Microsoft Graph could not validate the access token (InvalidAuthenticationToken).",
    `${INSPECT} Check that the cloud is the tenant's cloud.`,
  ),
  graphAccessPolicy: entry(
    "graph_403_access_policy",
    "permission",
    "admin",
    true,
    "Mailbox outside the app's allowed scope",
    "An Application Access Policy or RBAC for Applications scope of the tenant does not include this mailbox.",
    "Add the mailbox to the policy's security group or the management scope (setup guide, PowerShell), then allow up to two hours for it to apply; check with Test-ApplicationAccessPolicy or Test-ServicePrincipalAuthorization.",
  ),
  graphAccessDenied: entry(
    "graph_403_access_denied",
    "permission",
    "admin",
    true,
    "Access denied by Microsoft Graph",
    "The token lacks the permission for this mailbox: Mail.Read / Mail.Send (application permissions need admin consent); a shared mailbox needs Mail.Read.Shared / Mail.Send.Shared plus FullAccess / Send As for the signing user.",
    "Add the permissions the setup guide lists, grant admin consent, and connect again.",
  ),
  graphSendAsDenied: entry(
    "graph_403_send_as_denied",
    "send_as",
    "admin",
    true,
    "Not allowed to send as this address",
    "Microsoft Graph refused to send as the From address (ErrorSendAsDenied).",
    "Give the signing user Send As on the mailbox (Add-RecipientPermission -Identity {mailbox} -Trustee <user> -AccessRights SendAs -Confirm:$false) and use Mail.Send.Shared, or send from the user's own mailbox.",
  ),
  graphMailboxNotEnabled: entry(
    "graph_404_mailbox_not_enabled",
    "mailbox_access",
    "admin",
    true,
    "Mailbox not reachable through Graph",
    "The mailbox is inactive, soft-deleted, unlicensed or hosted on-premises (MailboxNotEnabledForRESTAPI).",
    "Check that the mailbox exists in Exchange Online and has a licence; on-premises mailboxes need IMAP/SMTP or EWS on the local server.",
  ),
  graphUserNotFound: entry(
    "graph_404_user_not_found",
    "configuration",
    "admin",
    true,
    "Mailbox not found",
    "Microsoft Graph does not know this mailbox address in the tenant.",
    "Check the mailbox address (its primary SMTP address) and the tenant.",
  ),
  graphMeWithAppToken: entry(
    "graph_400_me_with_app_token",
    "configuration",
    "portal_operator",
    true,
    "App-only token used for /me",
    "An app-only token can't use /me; it must name the mailbox (/users/{address}).",
    "Report it: the portal must address the mailbox explicitly in app-only mode.",
  ),
  ewsImpersonateDenied: entry(
    "ews_impersonate_user_denied",
    "permission",
    "admin",
    true,
    "Mailbox outside the app's allowed scope",
    "EWS refused to act as this mailbox (ErrorImpersonateUserDenied): an Application Access Policy or RBAC scope excludes it.",
    "Add the mailbox to the policy's group or the management scope (setup guide), then allow time for it to apply.",
  ),
  ewsNonExistentMailbox: entry(
    "ews_non_existent_mailbox",
    "configuration",
    "admin",
    true,
    "Mailbox not found",
    "EWS does not know this mailbox address (ErrorNonExistentMailbox).",
    "Check the mailbox address (its primary SMTP address) and that it is an Exchange Online mailbox.",
  ),
  ewsAccessDenied: entry(
    "ews_access_denied",
    "mailbox_access",
    "admin",
    true,
    "No access to the mailbox",
    "EWS refused access to this mailbox (ErrorAccessDenied): the signing user has no FullAccess on it.",
    "Run Add-MailboxPermission -Identity {mailbox} -User <signing user> -AccessRights FullAccess.",
  ),
  ewsImpersonationHeader: entry(
    "ews_invalid_impersonation_header",
    "configuration",
    "portal_operator",
    true,
    "Impersonation header refused",
    "EWS refused the ExchangeImpersonation header (ErrorInvalidExchangeImpersonationHeaderData).",
    "Report it: app-only EWS requests must name the mailbox in ExchangeImpersonation and X-AnchorMailbox.",
  ),
  ewsServerBusy: entry("ews_server_busy", "throttled", "retry", false, "EWS throttled", "Exchange asked the portal to back off (ErrorServerBusy).", "The portal waits for the time Exchange asks (BackOffMilliseconds) and tries again."),
  ewsWrongAudience: entry(
    "ews_401_invalid_audience",
    "wrong_audience",
    "portal_operator",
    true,
    "Token for the wrong API",
    "EWS refused the token because it is for another resource (x-ms-diagnostics 2000003).",
    "EWS needs a token for https://outlook.office365.com (EWS.AccessAsUser.All, or .default for app-only). Check the custom cloud's Exchange resource URI.",
  ),
  ewsNoPermission: entry(
    "ews_401_no_permission",
    "permission",
    "admin",
    true,
    "Token lacks the EWS permission",
    "EWS refused the token because it carries neither EWS.AccessAsUser.All nor full_access_as_app (x-ms-diagnostics 2000008).",
    "Add EWS.AccessAsUser.All (delegated) or full_access_as_app (application) under Office 365 Exchange Online and grant consent.",
  ),
  ewsUnauthorized: entry(
    "ews_401",
    "authentication",
    "admin",
    true,
    "EWS login refused",
    "EWS refused the token (HTTP 401). EWS may also be turned off for the mailbox or organisation, or this app is not in EWSAllowedAppIDs (EWS is being retired: off by default from 2026-10-01, shut down 2027-04-01).",
    `${INSPECT} Check Set-CASMailbox -Identity {mailbox} -EWSEnabled $true and the organisation's EWS settings, and plan a move to Microsoft Graph.`,
  ),
} satisfies Record<string, CatalogEntry>;

const e = protocolEntries;
const code = (name: string) => (s: ProtocolSignals) => s.ewsCode === name || s.graphCode === name;

/** In order: the first rule whose protocols include the failing one and that matches wins. */
export const protocolRules: ProtocolRule[] = [
  { protocols: ["imap"], matches: has(/authenticated but not connected/i), entry: e.imapNotConnected },
  { protocols: ["imap"], matches: has(/AUTHENTICATIONFAILED|AUTHENTICATE failed|\bNO\b.*\bauthenticat/i), entry: e.imapAuthFailed },
  { protocols: ["pop3"], matches: has(/^-ERR\b.*(?:authentic|\[AUTH\]|logon failure|bad password)/im), entry: e.popAuthFailed },
  { protocols: ["smtp"], matches: (s) => /\b5\.7\.139\b/.test(s.text) && /SmtpClientAuthentication is disabled/i.test(s.text), entry: e.smtpAuthDisabled },
  { protocols: ["smtp"], matches: (s) => /\b5\.7\.139\b/.test(s.text) && /basic authentication is disabled|security defaults/i.test(s.text), entry: e.smtpBasicAuthDisabled },
  { protocols: ["smtp"], matches: has(/\b5\.7\.139\b/), entry: e.smtp5739Other },
  { protocols: ["smtp"], matches: has(/\b5\.2\.252\b|SendAsDenied/i), entry: e.smtpSendAsDenied },
  { protocols: ["smtp"], matches: has(/\b5\.7\.30\b/), entry: e.smtpBasicNotSupported },
  { protocols: ["smtp"], matches: has(/\b5\.7\.57\b/), entry: e.smtpNotAuthenticated },
  { protocols: ["smtp"], matches: has(/SubmissionQuotaExceeded|\b5\.2\.0\b.*quota|\b4\.3\.2\b.*(?:limit|thread)/i), entry: e.smtpQuotaExceeded },
  { protocols: ["smtp"], matches: has(/\b5\.7\.3\b|\b535\b.*authentication (?:unsuccessful|failed)/i), entry: e.smtpAuthUnsuccessful },
  { protocols: ["smtp"], matches: has(/^4\d\d[ -]/m), entry: e.smtpTemporary },
  { protocols: ["graph"], matches: (s) => s.status === 401 && /invalid audience/i.test(s.graphMessage ?? s.text), entry: e.graphWrongAudience },
  { protocols: ["graph"], matches: (s) => s.status === 401 && /expired/i.test(s.graphMessage ?? s.text), entry: e.graphTokenExpired },
  { protocols: ["graph"], matches: (s) => s.status === 401 || s.graphCode === "InvalidAuthenticationToken", entry: e.graphInvalidToken },
  { protocols: ["graph"], matches: code("ErrorSendAsDenied"), entry: e.graphSendAsDenied },
  { protocols: ["graph"], matches: (s) => s.status === 403 && /AccessPolicy|RBAC|not in scope/i.test(s.graphMessage ?? s.text), entry: e.graphAccessPolicy },
  { protocols: ["graph"], matches: (s) => s.status === 403 || s.graphCode === "ErrorAccessDenied" || s.graphCode === "Authorization_RequestDenied", entry: e.graphAccessDenied },
  { protocols: ["graph"], matches: code("MailboxNotEnabledForRESTAPI"), entry: e.graphMailboxNotEnabled },
  { protocols: ["graph"], matches: (s) => s.graphCode === "ErrorInvalidUser" || s.graphCode === "Request_ResourceNotFound", entry: e.graphUserNotFound },
  { protocols: ["graph"], matches: (s) => s.status === 400 && /\/me request is only valid with delegated/i.test(s.graphMessage ?? s.text), entry: e.graphMeWithAppToken },
  { protocols: ["ews"], matches: code("ErrorServerBusy"), entry: e.ewsServerBusy },
  { protocols: ["ews"], matches: code("ErrorImpersonateUserDenied"), entry: e.ewsImpersonateDenied },
  { protocols: ["ews"], matches: code("ErrorNonExistentMailbox"), entry: e.ewsNonExistentMailbox },
  { protocols: ["ews"], matches: code("ErrorInvalidExchangeImpersonationHeaderData"), entry: e.ewsImpersonationHeader },
  { protocols: ["ews"], matches: code("ErrorAccessDenied"), entry: e.ewsAccessDenied },
  { protocols: ["ews"], matches: (s) => s.status === 401 && /\b2000003\b/.test(s.diagnostics ?? ""), entry: e.ewsWrongAudience },
  { protocols: ["ews"], matches: (s) => s.status === 401 && /\b2000008\b/.test(s.diagnostics ?? ""), entry: e.ewsNoPermission },
  { protocols: ["ews"], matches: (s) => s.status === 401, entry: e.ewsUnauthorized },
];
