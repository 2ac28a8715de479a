// Who may open which mailbox over which protocol, decided from the access token's claims the way
// Exchange Online does (reference = microsoft-365-mail-oauth.md in the shared reference folder).
// Pure functions: the auth bridge and the Send As milter call them with live mailbox data.
import type { MailboxPolicy } from "./contract";
import {
  GENERIC_REFUSAL,
  SMTP_AUTH_DISABLED_FOR_MAILBOX,
  SMTP_BASIC_AUTH_DISABLED,
  type MailService,
} from "./exchange-replies";

export type Claims = Readonly<Record<string, unknown>>;
export type MailboxLookup = (address: string) => MailboxPolicy | undefined;

/** The identity a token speaks for: a signed-in user (scp) or an application's service principal (roles). */
export type Principal =
  | { kind: "user"; upn: string; objectId: string | undefined }
  | { kind: "app"; objectId: string };

export interface LoginAttempt {
  service: MailService;
  /** SASL mechanism as Dovecot names it: XOAUTH2, PLAIN, LOGIN. */
  mechanism: string;
  /** The mailbox named in user= (Dovecot lower-cases it). */
  mailbox: string;
  /** Claims from verifyAccessToken, or null when it rejected the token (signature, expiry, format). */
  claims: Claims | null;
  nowMs: number;
}

export type LoginVerdict =
  | { outcome: "grant"; principal: Principal }
  /** IMAP only: authentication succeeds, every mailbox command then fails (reference §3, [I2]). */
  | { outcome: "not-connected"; principal: Principal; why: string }
  /** tokenProblem: the token itself is unusable; only then may Dovecot's error continuation be used. */
  | { outcome: "refuse"; reply: string; why: string; tokenProblem: boolean };

/** Reference §2.1 and §2.2: the resource, delegated scope and application role per protocol. */
const PERMISSIONS: Readonly<Record<MailService, { scope: string; role: string }>> = {
  imap: { scope: "IMAP.AccessAsUser.All", role: "IMAP.AccessAsApp" },
  pop3: { scope: "POP.AccessAsUser.All", role: "POP.AccessAsApp" },
  smtp: { scope: "SMTP.Send", role: "SMTP.SendAsApp" },
};
/** Reference §2.3: delegated tokens are issued for https://outlook.office.com ... */
export const DELEGATED_AUDIENCE = "https://outlook.office.com";
/** ... and app-only tokens (scope https://outlook.office365.com/.default) for https://outlook.office365.com. */
export const APP_AUDIENCE = "https://outlook.office365.com";

export function decideLogin(attempt: LoginAttempt, getMailbox: MailboxLookup): LoginVerdict {
  const { service, claims } = attempt;
  const refuse = (why: string, tokenProblem: boolean, reply = GENERIC_REFUSAL[service]): LoginVerdict => ({
    outcome: "refuse",
    reply,
    why,
    tokenProblem,
  });

  if (attempt.mechanism.toUpperCase() !== "XOAUTH2") {
    // A password instead of a token: basic authentication is off (reference §3).
    return refuse(`mechanism ${attempt.mechanism} (basic authentication) is disabled`, false, service === "smtp" ? SMTP_BASIC_AUTH_DISABLED : GENERIC_REFUSAL[service]);
  }
  if (claims === null) return refuse("verifyAccessToken rejected the token", true);

  const exp = claims["exp"];
  if (typeof exp !== "number" || exp * 1000 <= attempt.nowMs) return refuse("token expired or without exp", true);
  const nbf = claims["nbf"];
  if (typeof nbf === "number" && nbf * 1000 > attempt.nowMs) return refuse("token not valid yet (nbf)", true);

  const principal = principalOf(claims);
  if (principal === null) return refuse("token names neither a user (scp + upn) nor an app (roles + oid)", true);
  const permission = PERMISSIONS[service];
  const aud = claims["aud"];
  if (principal.kind === "user") {
    if (aud !== DELEGATED_AUDIENCE) return refuse(`delegated token for audience ${String(aud)}`, true);
    if (!hasItem(scopesOf(claims), permission.scope)) return refuse(`scp lacks ${permission.scope}`, true);
  } else {
    if (aud !== APP_AUDIENCE) return refuse(`app-only token for audience ${String(aud)}`, true);
    if (!hasItem(rolesOf(claims), permission.role)) return refuse(`roles lack ${permission.role}`, true);
  }

  const mailbox = getMailbox(attempt.mailbox);
  if (mailbox === undefined || !mayOpen(mailbox, principal)) {
    const why = mailbox === undefined ? `no mailbox ${attempt.mailbox}` : `${describe(principal)} has no FullAccess on ${mailbox.address}`;
    // Exchange accepts the token and then refuses every IMAP command; POP3 and SMTP just fail.
    return service === "imap" ? { outcome: "not-connected", principal, why } : refuse(why, false);
  }

  const { switches } = mailbox;
  if (service === "imap" && switches.imapDisabled) return refuse(`IMAP disabled for ${mailbox.address}`, false);
  if (service === "pop3" && switches.popDisabled) return refuse(`POP disabled for ${mailbox.address}`, false);
  if (service === "smtp" && switches.smtpAuthDisabled) {
    return refuse(`SMTP AUTH disabled for ${mailbox.address}`, false, SMTP_AUTH_DISABLED_FOR_MAILBOX);
  }
  return { outcome: "grant", principal };
}

/** Delegated: the owner, or a user with FullAccess (shared mailboxes, reference §3). App-only: FullAccess for its SP (§4). */
export function mayOpen(mailbox: MailboxPolicy, principal: Principal): boolean {
  if (principal.kind === "user" && (sameId(principal.upn, mailbox.address) || sameId(principal.upn, mailbox.ownerUpn))) {
    return true;
  }
  return holds(mailbox.fullAccess, principal);
}

/**
 * Send As (reference §3 "554 5.2.252 SendAsDenied", §4 Add-RecipientPermission): the authenticated
 * mailbox may always send as itself; any other From needs SendAs on that address's mailbox for
 * the authenticated mailbox or for the principal behind the token.
 */
export function maySendAs(from: string, authenticatedMailbox: string, principal: Principal | null, getMailbox: MailboxLookup): boolean {
  if (sameId(from, authenticatedMailbox)) return true;
  const target = getMailbox(from.toLowerCase());
  if (target === undefined) return false;
  if (target.sendAs.some((p) => sameId(p, authenticatedMailbox))) return true;
  return principal !== null && holds(target.sendAs, principal);
}

export function principalOf(claims: Claims): Principal | null {
  const oid = stringClaim(claims, "oid");
  if (typeof claims["scp"] === "string") {
    const upn = stringClaim(claims, "upn") ?? stringClaim(claims, "unique_name") ?? stringClaim(claims, "preferred_username");
    return upn === undefined ? null : { kind: "user", upn, objectId: oid };
  }
  if (Array.isArray(claims["roles"]) && oid !== undefined) return { kind: "app", objectId: oid };
  return null;
}

// The SMTP login name carries the principal from the auth bridge to the Send As milter:
// Dovecot returns "user=<mailbox>|user|<upn>|<oid>" (or "|app|<oid>") to Postfix, which hands it
// to the milter as {auth_authen}. Postfix never shows it to the client. "|" cannot occur in a
// mailbox name because Dovecot's auth_username_chars excludes it.
const SEP = "|";

export function encodeSmtpLogin(mailbox: string, principal: Principal): string {
  const parts = principal.kind === "user" ? ["user", principal.upn, principal.objectId ?? ""] : ["app", principal.objectId];
  return [mailbox, ...parts].join(SEP);
}

export function decodeSmtpLogin(login: string): { mailbox: string; principal: Principal | null } {
  const [mailbox = "", kind, first, second] = login.split(SEP);
  if (kind === "user" && first) return { mailbox, principal: { kind: "user", upn: first, objectId: second || undefined } };
  if (kind === "app" && first) return { mailbox, principal: { kind: "app", objectId: first } };
  return { mailbox, principal: null };
}

export function describe(principal: Principal): string {
  return principal.kind === "user" ? `user ${principal.upn}` : `app ${principal.objectId}`;
}

function holds(list: readonly string[], principal: Principal): boolean {
  return list.some((entry) => sameId(entry, principal.objectId) || (principal.kind === "user" && sameId(entry, principal.upn)));
}

function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

function stringClaim(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function scopesOf(claims: Claims): string[] {
  const scp = claims["scp"];
  return typeof scp === "string" ? scp.split(" ").filter((s) => s !== "") : [];
}

function rolesOf(claims: Claims): string[] {
  const roles = claims["roles"];
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [];
}

function hasItem(list: readonly string[], wanted: string): boolean {
  return list.some((item) => item.toLowerCase() === wanted.toLowerCase());
}
