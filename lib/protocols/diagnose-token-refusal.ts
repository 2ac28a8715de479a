// Exchange refuses IMAP, POP3 and SMTP logins with one generic text whatever the reason
// ("AUTHENTICATE failed.", "-ERR Authentication failure", "535 5.7.3"; reference §3: no distinct
// text for a disabled protocol). The token's claims, read without verification, usually tell the
// reasons apart: wrong audience, expired, permission missing, another user's token. When the
// token looks right for the protocol, the likeliest remaining cause is chosen per protocol.
import type { AuthMode, ErrorClass, ProtocolName } from "./protocol-check";
import { audienceResource, readAccessTokenClaims } from "./token-claims";

export interface TokenRefusalVerdict {
  errorClass: ErrorClass;
  diagnosis: string;
}

/** The permission a token needs for a protocol and direction (reference §2.1, §2.2). */
export function requiredPermissions(protocol: ProtocolName, direction: "inbound" | "outbound", authMode: AuthMode, sharedMailbox: boolean): { resource: "exchange" | "graph"; anyOf: string[] } {
  const app = authMode === "app_only";
  switch (protocol) {
    case "imap":
      return { resource: "exchange", anyOf: [app ? "IMAP.AccessAsApp" : "IMAP.AccessAsUser.All"] };
    case "pop3":
      return { resource: "exchange", anyOf: [app ? "POP.AccessAsApp" : "POP.AccessAsUser.All"] };
    case "smtp":
      return { resource: "exchange", anyOf: [app ? "SMTP.SendAsApp" : "SMTP.Send"] };
    case "ews":
      return { resource: "exchange", anyOf: [app ? "full_access_as_app" : "EWS.AccessAsUser.All"] };
    case "graph":
      if (direction === "outbound") return { resource: "graph", anyOf: app ? ["Mail.Send"] : sharedMailbox ? ["Mail.Send.Shared"] : ["Mail.Send", "Mail.Send.Shared"] };
      if (app) return { resource: "graph", anyOf: ["Mail.Read", "Mail.ReadWrite", "Mail.ReadBasic.All"] };
      return { resource: "graph", anyOf: sharedMailbox ? ["Mail.Read.Shared", "Mail.ReadWrite.Shared"] : ["Mail.Read", "Mail.ReadWrite", "Mail.Read.Shared", "Mail.ReadWrite.Shared"] };
  }
}

const resourceName = { exchange: "Exchange Online (https://outlook.office.com or https://outlook.office365.com)", graph: "Microsoft Graph (https://graph.microsoft.com)" };

export interface RefusalContext {
  protocol: ProtocolName;
  direction: "inbound" | "outbound";
  mailbox: string;
  accessToken: string;
  authMode: AuthMode;
  /** The class when the token looks right and is the mailbox owner's own (delegated). */
  whenOwnTokenLooksRight: ErrorClass;
  /** The class when the token looks right but is an app's or another user's. */
  whenDelegateTokenLooksRight: ErrorClass;
  /** Said to people when the token looks right, e.g. "IMAP may be disabled for the mailbox". */
  ownTokenNote: string;
  delegateTokenNote: string;
  now?: Date;
}

export function diagnoseTokenRefusal(ctx: RefusalContext): TokenRefusalVerdict {
  const claims = readAccessTokenClaims(ctx.accessToken);
  const label = ctx.protocol === "pop3" ? "POP3" : ctx.protocol.toUpperCase();
  if (!claims) {
    return { errorClass: "auth_failed", diagnosis: `The server refused the token. It is not a readable JWT (personal Microsoft accounts get opaque tokens), so the check cannot tell why.` };
  }
  const nowSec = Math.floor((ctx.now ?? new Date()).getTime() / 1000);
  const mailbox = ctx.mailbox.toLowerCase();
  const isApp = claims.idtyp === "app" || (claims.roles.length > 0 && claims.scopes.length === 0);
  const required = requiredPermissions(ctx.protocol, ctx.direction, isApp ? "app_only" : "delegated", !isApp && claims.user !== undefined && claims.user !== mailbox);

  const resource = audienceResource(claims.aud);
  if (resource !== undefined && resource !== "other" && resource !== required.resource) {
    return {
      errorClass: "wrong_audience",
      diagnosis: `The token is for ${claims.aud}, but ${label} accepts only tokens for ${resourceName[required.resource]}. Request the token with the ${required.resource === "exchange" ? "https://outlook.office.com/… (delegated) or https://outlook.office365.com/.default (app-only)" : "https://graph.microsoft.com/…"} scopes.`,
    };
  }
  if (claims.exp !== undefined && claims.exp <= nowSec) {
    return { errorClass: "auth_failed", diagnosis: `The token expired at ${new Date(claims.exp * 1000).toISOString()}; the server refuses expired tokens. A fresh token is needed (refresh, or sign in again).` };
  }
  if (claims.nbf !== undefined && claims.nbf > nowSec + 300) {
    return { errorClass: "auth_failed", diagnosis: `The token is not valid before ${new Date(claims.nbf * 1000).toISOString()}: check this machine's clock.` };
  }
  if (isApp !== (ctx.authMode === "app_only")) {
    const got = isApp ? "an app-only (client credentials) token" : "a delegated (signed-in user) token";
    const note = `The mailbox is set up for ${ctx.authMode === "app_only" ? "app-only" : "delegated"} access, but this is ${got}.`;
    // Not a refusal reason by itself; say it and go on.
    const rest = diagnoseTokenRefusal({ ...ctx, authMode: isApp ? "app_only" : "delegated" });
    return { errorClass: rest.errorClass, diagnosis: `${note} ${rest.diagnosis}` };
  }
  const granted = isApp ? claims.roles : claims.scopes;
  if (!required.anyOf.some((p) => granted.includes(p))) {
    return {
      errorClass: "missing_permission",
      diagnosis: `The token does not carry the ${isApp ? "application permission (role)" : "delegated permission (scope)"} ${required.anyOf.join(" or ")} that ${label} needs; it has: ${granted.length ? granted.join(", ") : "none"}.${isApp ? " Grant it in the app registration and give admin consent." : " Add it to the requested scopes and consent again."}`,
    };
  }
  if (isApp) {
    return { errorClass: ctx.whenDelegateTokenLooksRight, diagnosis: `The app-only token looks right for ${label} (audience ${claims.aud ?? "?"}, role ${required.anyOf.join("/")}, not expired). ${ctx.delegateTokenNote}` };
  }
  if (claims.user !== undefined && claims.user !== mailbox) {
    return { errorClass: ctx.whenDelegateTokenLooksRight, diagnosis: `The token belongs to ${claims.user}, not to ${ctx.mailbox}. ${ctx.delegateTokenNote}` };
  }
  return { errorClass: ctx.whenOwnTokenLooksRight, diagnosis: `The token looks right for ${label} (audience ${claims.aud ?? "?"}, scope ${required.anyOf.join("/")}, not expired, user ${claims.user ?? "?"}). ${ctx.ownTokenNote}` };
}
