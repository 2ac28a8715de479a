// EWS POST /EWS/Exchange.asmx, GetFolder (reference §4, X3/X5): bearer token for Exchange
// (EWS.AccessAsUser.All delegated, full_access_as_app app-only), X-AnchorMailbox, and the
// ExchangeImpersonation SOAP header for app-only tokens. Failures as Exchange sends them:
// 401 with x-ms-diagnostics, SOAP faults, or ResponseClass="Error" messages.
import type { AccessTokenVerifier } from "../access-token-verifier";
import type { Directory } from "../directory";
import type { FaultBoard } from "../faults";
import { route, sendText, type RequestContext, type Route } from "../http/server";
import type { IdentityState } from "../identity/state";
import type { FolderName, MailStore } from "../mail-store";
import { bearerToken, peekToken, permissionHolder, principalFromClaims, type Principal } from "../resource/principal";
import { attr, findElement, findElements, getFolderResponse, operationName, soapFault, textOf, type FaultSpec, type FolderResult } from "./soap";

export interface EwsDeps {
  directory: Directory;
  verifier: AccessTokenVerifier;
  state: IdentityState;
  mail: MailStore;
  faults: FaultBoard;
  identityBaseUrl(): string;
}

const EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";
const EXCHANGE_AUDIENCES = ["https://outlook.office365.com", "https://outlook.office.com", "https://outlook.office365.com/", "https://outlook.office.com/", EXCHANGE_APP_ID];

function unauthorized(deps: EwsDeps, ctx: RequestContext, diagnostics?: string): void {
  ctx.record.errorCode = diagnostics ? diagnostics.split(";")[0] : "401";
  const headers: Record<string, string> = {
    "WWW-Authenticate": `Bearer client_id="${EXCHANGE_APP_ID}", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="${deps.identityBaseUrl()}/common/oauth2/authorize", error="invalid_token"`,
    "request-id": ctx.traceId,
  };
  if (diagnostics) headers["x-ms-diagnostics"] = diagnostics;
  ctx.res.writeHead(401, { ...headers, "Content-Length": 0 });
  ctx.res.end();
}

function fault(ctx: RequestContext, spec: FaultSpec, status = 500): void {
  ctx.record.errorCode = spec.code;
  sendText(ctx, status, "text/xml; charset=utf-8", soapFault(spec), { "request-id": ctx.traceId });
}

const DIAG = {
  // Observed values (reference I-sources): audience and missing-permission diagnostics.
  audience: '2000003;reason="The audience claim value is invalid \'aud\'.";error_category="invalid_resource"',
  noPermission: '2000008;reason="The token contains no permissions, or permissions can not be understood.";error_category="invalid_grant"',
  // [stand-in wording] for the remaining token failures; Exchange's exact texts are not documented.
  malformed: '2000001;reason="The token is malformed.";error_category="invalid_token"',
  signature: '2000001;reason="The token has an invalid signature.";error_category="invalid_signature"',
  expired: '2000001;reason="The token has expired.";error_category="invalid_token"',
  consumer: '2000001;reason="Tokens for Microsoft personal accounts are not accepted by Exchange Web Services.";error_category="invalid_token"',
};

const NON_EXISTENT = "The SMTP address has no mailbox associated with it.";

function takeFault(deps: EwsDeps, ctx: RequestContext): boolean {
  const hints = peekToken(deps.state, bearerToken(ctx.req.headers.authorization) ?? "");
  const user = hints.oid ? deps.directory.findUser(hints.oid) : undefined;
  const tenant = hints.tid ? deps.directory.tenantById(hints.tid) : undefined;
  const f = deps.faults.take({
    endpoint: "ews",
    ...(hints.clientId ? { clientId: hints.clientId } : {}),
    ...(user ? { user: { upn: user.upn, id: user.id } } : {}),
    ...(tenant ? { tenant: { id: tenant.id, domains: tenant.domains } } : {}),
  });
  if (!f) return false;
  ctx.record.faultId = f.id;
  if (f.kind === "hang") ctx.hang();
  else if (f.kind === "throttled") {
    // EWS throttling is a fault with BackOffMilliseconds, not an HTTP 429.
    fault(ctx, { code: "ErrorServerBusy", message: "The server cannot service this request right now. Try again later.", values: { BackOffMilliseconds: String(f.retryAfterSeconds * 1000) } });
  } else fault(ctx, { code: "ErrorInternalServerError", message: "An internal server error occurred. The operation failed." });
  return true;
}

function authenticate(deps: EwsDeps, ctx: RequestContext): Principal | undefined {
  const token = bearerToken(ctx.req.headers.authorization);
  if (!token) {
    unauthorized(deps, ctx);
    return undefined;
  }
  const result = deps.verifier.verify(token);
  if (!result.ok) {
    unauthorized(deps, ctx, result.reason === "expired" || result.reason === "not_yet_valid" ? DIAG.expired : result.reason === "malformed" || result.reason === "empty" ? DIAG.malformed : DIAG.signature);
    return undefined;
  }
  if (result.opaque) {
    // Reference §8: no EWS OAuth for personal accounts.
    unauthorized(deps, ctx, DIAG.consumer);
    return undefined;
  }
  if (typeof result.claims.aud !== "string" || !EXCHANGE_AUDIENCES.includes(result.claims.aud)) {
    unauthorized(deps, ctx, DIAG.audience);
    return undefined;
  }
  const p = principalFromClaims(deps.directory, result.claims);
  if (!p || (p.kind === "user" && !p.scopes.has("EWS.AccessAsUser.All")) || (p.kind === "app" && !p.roles.has("full_access_as_app"))) {
    unauthorized(deps, ctx, DIAG.noPermission);
    return undefined;
  }
  return p;
}

function folderResult(deps: EwsDeps, address: string, folder: FolderName): FolderResult {
  const counts = deps.mail.counts(address, folder);
  return {
    ok: true,
    id: `AQMkAD${Buffer.from(`${address}/${folder}`).toString("base64")}AAAA`,
    changeKey: "AQAAABYAAAA" + Buffer.from(address).toString("base64").slice(0, 12),
    displayName: folder === "inbox" ? "Inbox" : "Sent Items",
    total: counts.total,
    unread: counts.unread,
  };
}

async function exchangeAsmx(deps: EwsDeps, ctx: RequestContext): Promise<void> {
  ctx.record.endpoint = "ews";
  if (takeFault(deps, ctx)) return;
  const p = authenticate(deps, ctx);
  if (!p) return;
  ctx.record.tenant = p.tenant.id;
  ctx.record.clientId = p.appId;
  if (p.kind === "user") ctx.record.user = p.user.upn;

  const anchorHeader = ctx.req.headers["x-anchormailbox"];
  const anchor = typeof anchorHeader === "string" ? anchorHeader.trim().toLowerCase() : "";
  if (!anchor) {
    // [stand-in rule] reference §4: always send X-AnchorMailbox; the stand-in refuses requests without it.
    return fault(ctx, { code: "ErrorInvalidRequest", message: "The request is invalid. The X-AnchorMailbox header is required (Exchange Online routes requests by it)." });
  }
  if (!deps.directory.mailbox(anchor)) return fault(ctx, { code: "ErrorNonExistentMailbox", message: NON_EXISTENT, values: { SmtpAddress: anchor } });

  const xml = await ctx.text();
  const op = operationName(xml);
  if (!op) return fault(ctx, { code: "ErrorSchemaValidation", message: "The request failed schema validation: Root element is missing." });
  const impersonation = findElement(xml, "ExchangeImpersonation");
  const impersonated = impersonation ? (textOf(impersonation.inner, "PrimarySmtpAddress") ?? textOf(impersonation.inner, "SmtpAddress") ?? textOf(impersonation.inner, "PrincipalName"))?.toLowerCase() : undefined;

  let actingMailbox: string;
  if (p.kind === "app") {
    // Reference §4: app-only EWS needs the ExchangeImpersonation header on every request.
    if (!impersonated) return fault(ctx, { code: "ErrorInvalidExchangeImpersonationHeaderData", message: "ExchangeImpersonation SOAP header must be present for this type of OAuth token." });
    const box = deps.directory.mailbox(impersonated);
    const boxTenant = box ? deps.directory.mailboxTenant(box.address) : undefined;
    if (!box || boxTenant?.id !== p.tenant.id) return fault(ctx, { code: "ErrorNonExistentMailbox", message: NON_EXISTENT, values: { SmtpAddress: impersonated } });
    const policy = deps.directory.accessPolicy(p.tenant.id, p.appId);
    if (policy && !policy.has(box.address)) return fault(ctx, { code: "ErrorImpersonateUserDenied", message: "The account does not have permission to impersonate the requested user." });
    actingMailbox = box.address;
  } else {
    if (impersonation) return fault(ctx, { code: "ErrorInvalidExchangeImpersonationHeaderData", message: "ExchangeImpersonation SOAP header must not exist for this type of OAuth token." });
    actingMailbox = p.user.upn;
  }

  if (op !== "GetFolder") return fault(ctx, { code: "ErrorInvalidRequest", message: `The request is invalid. The stand-in implements GetFolder only (got ${op}).` });
  const folderIds = findElements(xml, "DistinguishedFolderId");
  if (folderIds.length === 0) return fault(ctx, { code: "ErrorSchemaValidation", message: "The request failed schema validation: The element 'FolderIds' has incomplete content." });

  const results: FolderResult[] = folderIds.map((el) => {
    const id = (attr(el, "Id") ?? "").toLowerCase();
    const target = (textOf(el.inner, "EmailAddress") ?? actingMailbox).toLowerCase();
    const box = deps.directory.mailbox(target);
    if (!box || deps.directory.mailboxTenant(target)?.id !== p.tenant.id) return { ok: false, code: "ErrorNonExistentMailbox", message: NON_EXISTENT, values: { SmtpAddress: target } };
    if (target !== actingMailbox && p.kind === "user" && !deps.directory.hasFullAccess(box, permissionHolder(p))) {
      return { ok: false, code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again." };
    }
    if (id !== "inbox" && id !== "sentitems") return { ok: false, code: "ErrorFolderNotFound", message: "The specified folder could not be found in the store." };
    return folderResult(deps, box.address, id);
  });
  sendText(ctx, 200, "text/xml; charset=utf-8", getFolderResponse(results), { "request-id": ctx.traceId, "X-FEServer": "STANDIN", "X-BEServer": "STANDIN" });
}

export function ewsRoutes(deps: EwsDeps): Route[] {
  return [route("POST", /^\/EWS\/Exchange\.asmx$/i, (ctx) => exchangeAsmx(deps, ctx))];
}
