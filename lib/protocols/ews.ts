// EWS check: SOAP 1.1 GetFolder for the inbox (TotalCount, UnreadCount) with the bearer token and
// X-AnchorMailbox; app-only requests carry the ExchangeImpersonation header naming the mailbox
// (reference §4). A delegated check of another mailbox (shared) names it in the folder id.
// EWS in Exchange Online is being retired (reference §4: phased disablement from 2026-10-01,
// shutdown 2027-04-01); Graph is the way forward.
import { CheckFailure, classifyTransportError, type CheckStage } from "./check-failure";
import { diagnoseTokenRefusal } from "./diagnose-token-refusal";
import { httpsRequest, type HttpsResponse } from "./https-request";
import type { AdapterContext, CheckDetails, CheckInput, ErrorClass } from "./protocol-check";
import { readAccessTokenClaims } from "./token-claims";

const SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
const T = "http://schemas.microsoft.com/exchange/services/2006/types";
const M = "http://schemas.microsoft.com/exchange/services/2006/messages";

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

function unescapeXml(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (whole, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>)[name.toLowerCase()] ?? whole;
  });
}

/** The GetFolder request. `impersonate`: app-only; `mailboxInFolderId`: delegated access to another mailbox. */
export function buildGetInboxRequest(options: { impersonate?: string; mailboxInFolderId?: string }): string {
  const impersonation = options.impersonate
    ? `<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>${escapeXml(options.impersonate)}</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>`
    : "";
  const folderId = options.mailboxInFolderId
    ? `<t:DistinguishedFolderId Id="inbox"><t:Mailbox><t:EmailAddress>${escapeXml(options.mailboxInFolderId)}</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>`
    : `<t:DistinguishedFolderId Id="inbox"/>`;
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<soap:Envelope xmlns:soap="${SOAP}" xmlns:t="${T}" xmlns:m="${M}">` +
    `<soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/>${impersonation}</soap:Header>` +
    `<soap:Body><m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>` +
    `<m:FolderIds>${folderId}</m:FolderIds></m:GetFolder></soap:Body></soap:Envelope>`
  );
}

/** Text of the first element with this local name, any namespace prefix. */
function elementText(xml: string, local: string): string | undefined {
  const m = new RegExp(`<(?:[\\w.-]+:)?${local}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${local}\\s*>`).exec(xml);
  return m ? unescapeXml(m[1]!.trim()) : undefined;
}

function attribute(xml: string, element: string, name: string): string | undefined {
  const m = new RegExp(`<(?:[\\w.-]+:)?${element}\\s[^>]*?\\b${name}="([^"]*)"`).exec(xml);
  return m ? unescapeXml(m[1]!) : undefined;
}

export type EwsParsed =
  | { kind: "folder"; displayName?: string; total: number; unread: number }
  | { kind: "error"; responseCode: string; message: string; backOffMs?: number; fault: boolean };

/** Reads a GetFolder response or SOAP fault (namespace-prefix agnostic). */
export function parseGetFolderResponse(xml: string): EwsParsed | undefined {
  if (/<(?:[\w.-]+:)?Fault[\s>]/.test(xml)) {
    const responseCode = elementText(xml, "ResponseCode") ?? elementText(xml, "faultcode") ?? "SoapFault";
    const message = elementText(xml, "Message") ?? elementText(xml, "faultstring") ?? "";
    const backOff = /<(?:[\w.-]+:)?Value\s+Name="BackOffMilliseconds"\s*>(\d+)</.exec(xml);
    return { kind: "error", responseCode: responseCode.replace(/^[\w.-]+:/, ""), message, fault: true, ...(backOff ? { backOffMs: Number(backOff[1]) } : {}) };
  }
  const responseClass = attribute(xml, "GetFolderResponseMessage", "ResponseClass");
  if (!responseClass) return undefined;
  if (responseClass !== "Success") {
    return { kind: "error", responseCode: elementText(xml, "ResponseCode") ?? responseClass, message: elementText(xml, "MessageText") ?? "", fault: false };
  }
  const total = Number(elementText(xml, "TotalCount"));
  const unread = Number(elementText(xml, "UnreadCount"));
  const displayName = elementText(xml, "DisplayName");
  return { kind: "folder", total: Number.isFinite(total) ? total : 0, unread: Number.isFinite(unread) ? unread : 0, ...(displayName ? { displayName } : {}) };
}

export async function checkEws(input: CheckInput, ctx: AdapterContext): Promise<CheckDetails> {
  ctx.clock.enter("connect");
  const appOnly = input.authMode === "app_only";
  const tokenUser = readAccessTokenClaims(input.accessToken)?.user;
  const otherMailbox = !appOnly && tokenUser !== undefined && tokenUser !== input.mailbox.toLowerCase();
  const body = buildGetInboxRequest({
    ...(appOnly ? { impersonate: input.mailbox } : {}),
    ...(otherMailbox ? { mailboxInFolderId: input.mailbox } : {}),
  });
  let res: HttpsResponse;
  try {
    res = await httpsRequest({
      url: input.ewsUrl!,
      method: "POST",
      headers: {
        "Content-Type": "text/xml; charset=utf-8",
        Accept: "text/xml",
        SOAPAction: `"${M}/GetFolder"`,
        Authorization: `Bearer ${input.accessToken}`,
        "X-AnchorMailbox": input.mailbox,
        "User-Agent": "MailboxOAuthPortal-HealthCheck",
      },
      body,
      ...(input.trustedCaPem ? { trustedCaPem: input.trustedCaPem } : {}),
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      onConnected: () => ctx.clock.enter("operation"),
    });
  } catch (error) {
    const stage = ctx.clock.stage;
    const transport = classifyTransportError(error);
    if (transport) throw new CheckFailure({ stage: transport.errorClass === "timeout" ? stage : transport.stage, errorClass: transport.errorClass, facts: { code: transport.code, response: transport.message } });
    throw new CheckFailure({ stage, errorClass: "unknown", facts: { response: error instanceof Error ? error.message : String(error) } });
  }
  return interpretEwsResponse(res, input);
}

export function interpretEwsResponse(res: HttpsResponse, input: CheckInput): CheckDetails {
  if (res.status === 401) throw unauthorized(res, input);
  const parsed = parseGetFolderResponse(res.body);
  if (parsed?.kind === "folder" && res.status === 200) {
    return { folder: parsed.displayName ?? "Inbox", messages: parsed.total, unseen: parsed.unread };
  }
  if (parsed?.kind === "error") throw ewsError(parsed, res.status, input, res.body);
  const response = `HTTP ${res.status}${res.body ? `: ${res.body.slice(0, 300)}` : ""}`;
  if (res.status === 403) {
    return throwFailure("operation", "protocol_disabled", { status: 403, response }, "Exchange refused EWS for this app or mailbox: EWS may be turned off for the organisation or the mailbox (EWSEnabled, EWSAllowedAppIDs), as Microsoft is retiring EWS (phased disablement from 1 October 2026).");
  }
  if (res.status === 429 || res.status === 503) {
    const retry = Number(res.headers["retry-after"]);
    throw new CheckFailure({ stage: "operation", errorClass: "throttled", facts: { status: res.status, response }, ...(Number.isFinite(retry) ? { retryAfterSeconds: retry } : {}) });
  }
  if (res.status === 404) return throwFailure("connect", "unknown", { status: 404, response }, "No EWS endpoint at this URL (expected …/EWS/Exchange.asmx).");
  if (res.status >= 500) return throwFailure("operation", "server_error", { status: res.status, response });
  return throwFailure("operation", "unknown", { status: res.status, response }, "The answer is not an EWS GetFolder response.");
}

function throwFailure(stage: CheckStage, errorClass: ErrorClass, facts: { status?: number; response?: string; code?: string }, diagnosis?: string): never {
  throw new CheckFailure({ stage, errorClass, facts, ...(diagnosis ? { diagnosis } : {}) });
}

function unauthorized(res: HttpsResponse, input: CheckInput): CheckFailure {
  const diagnostics = res.headers["x-ms-diagnostics"] ?? "";
  const code = /^(\d+)/.exec(diagnostics)?.[1];
  const reason = /reason="([^"]*)"/.exec(diagnostics)?.[1];
  const response = `401 Unauthorized${diagnostics ? ` (x-ms-diagnostics: ${diagnostics})` : ""}`;
  const facts = { status: 401, response, ...(code ? { code } : {}), ...(diagnostics ? { headers: { "x-ms-diagnostics": diagnostics } } : {}) };
  if (code === "2000003" || /audience/i.test(reason ?? "")) {
    const aud = readAccessTokenClaims(input.accessToken)?.aud;
    return new CheckFailure({ stage: "auth", errorClass: "wrong_audience", facts, diagnosis: `The token is for ${aud ?? "another resource"}; EWS needs a token for https://outlook.office365.com (EWS.AccessAsUser.All delegated, .default with full_access_as_app app-only).` });
  }
  if (code === "2000008" || /no permissions/i.test(reason ?? "")) {
    const claims = readAccessTokenClaims(input.accessToken);
    const have = claims ? [...claims.scopes, ...claims.roles] : [];
    return new CheckFailure({
      stage: "auth",
      errorClass: "missing_permission",
      facts,
      diagnosis: `The token carries no EWS permission (${input.authMode === "app_only" ? "full_access_as_app" : "EWS.AccessAsUser.All"}); it has: ${have.length ? have.join(", ") : "none"}.`,
    });
  }
  const verdict = diagnoseTokenRefusal({
    protocol: "ews",
    direction: "inbound",
    mailbox: input.mailbox,
    accessToken: input.accessToken,
    authMode: input.authMode,
    whenOwnTokenLooksRight: "auth_failed",
    whenDelegateTokenLooksRight: "auth_failed",
    ownTokenNote: reason ? `Exchange says: ${reason}` : "Exchange gave no reason.",
    delegateTokenNote: reason ? `Exchange says: ${reason}` : "Exchange gave no reason.",
  });
  return new CheckFailure({ stage: "auth", errorClass: verdict.errorClass, facts, diagnosis: verdict.diagnosis });
}

function ewsError(parsed: Extract<EwsParsed, { kind: "error" }>, status: number, input: CheckInput, body: string): CheckFailure {
  const response = `${parsed.responseCode}: ${parsed.message}`;
  const facts = { status, code: parsed.responseCode, response, body };
  switch (parsed.responseCode) {
    case "ErrorServerBusy": {
      const retry = parsed.backOffMs !== undefined ? Math.ceil(parsed.backOffMs / 1000) : undefined;
      return new CheckFailure({ stage: "operation", errorClass: "throttled", facts, ...(retry !== undefined ? { retryAfterSeconds: retry, diagnosis: `Exchange asks to back off for ${parsed.backOffMs} ms.` } : {}) });
    }
    case "ErrorNonExistentMailbox":
    case "ErrorMailboxNotFound":
    case "ErrorInvalidSmtpAddress":
      return new CheckFailure({ stage: "operation", errorClass: "mailbox_not_found", facts, diagnosis: `Exchange has no mailbox ${input.mailbox}.` });
    case "ErrorImpersonateUserDenied":
    case "ErrorImpersonationDenied":
      return new CheckFailure({
        stage: "operation",
        errorClass: "missing_permission",
        facts,
        diagnosis: `The app may not act as ${input.mailbox}: an Application Access Policy or RBAC for Applications scope leaves this mailbox out, or the app lacks full_access_as_app.`,
      });
    case "ErrorAccessDenied":
      return new CheckFailure({ stage: "operation", errorClass: "not_connected", facts, diagnosis: `The signed-in user has no Full Access to ${input.mailbox} (Add-MailboxPermission).` });
    case "ErrorInvalidExchangeImpersonationHeaderData":
      return new CheckFailure({
        stage: "operation",
        errorClass: "auth_failed",
        facts,
        diagnosis: `The mailbox is set up for ${input.authMode === "app_only" ? "app-only" : "delegated"} access, but Exchange expected the other kind for this token (app-only tokens need impersonation, delegated tokens must not use it).`,
      });
    case "ErrorInternalServerError":
    case "ErrorInternalServerTransientError":
    case "ErrorMailboxStoreUnavailable":
    case "ErrorMailboxMoveInProgress":
      return new CheckFailure({ stage: "operation", errorClass: "server_error", facts });
    default:
      return new CheckFailure({ stage: "operation", errorClass: status >= 500 && !parsed.fault ? "server_error" : "unknown", facts });
  }
}
