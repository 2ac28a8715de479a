// Microsoft Graph error bodies: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
import type { RequestContext } from "../http/server";
import { sendJson } from "../http/server";

export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export interface GraphError {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export const graphError = {
  tokenEmpty: (): GraphError => ({ status: 401, code: "InvalidAuthenticationToken", message: "Access token is empty." }),
  tokenMalformed: (): GraphError => ({
    status: 401,
    code: "InvalidAuthenticationToken",
    message:
      "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'.",
  }),
  tokenInvalid: (): GraphError => ({ status: 401, code: "InvalidAuthenticationToken", message: "Access token validation failure." }),
  tokenExpired: (): GraphError => ({ status: 401, code: "InvalidAuthenticationToken", message: "Lifetime validation failed, the token is expired." }),
  tokenNotYetValid: (): GraphError => ({ status: 401, code: "InvalidAuthenticationToken", message: "Lifetime validation failed, the token is not yet valid." }),
  invalidAudience: (): GraphError => ({ status: 401, code: "InvalidAuthenticationToken", message: "Access token validation failure. Invalid audience." }),
  accessDenied: (): GraphError => ({ status: 403, code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again." }),
  accessPolicyDenied: (): GraphError => ({ status: 403, code: "ErrorAccessDenied", message: "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings." }),
  insufficientPrivileges: (): GraphError => ({ status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." }),
  meNeedsDelegated: (): GraphError => ({ status: 400, code: "BadRequest", message: "/me request is only valid with delegated authentication flow." }),
  userNotFound: (id: string): GraphError => ({ status: 404, code: "Request_ResourceNotFound", message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.` }),
  invalidUser: (id: string): GraphError => ({ status: 404, code: "ErrorInvalidUser", message: `The requested user '${id}' is invalid.` }),
  mailboxNotEnabled: (): GraphError => ({ status: 404, code: "MailboxNotEnabledForRESTAPI", message: "The mailbox is either inactive, soft-deleted, or is hosted on-premise." }),
  folderNotFound: (): GraphError => ({ status: 404, code: "ErrorItemNotFound", message: "The specified object was not found in the store." }),
  badJson: (): GraphError => ({ status: 400, code: "BadRequest", message: "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format." }),
  noRecipients: (): GraphError => ({ status: 400, code: "ErrorInvalidRecipients", message: "At least one recipient is required, but none were found." }),
  sendAsDenied: (): GraphError => ({
    status: 403,
    code: "ErrorSendAsDenied",
    message: "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.",
  }),
  notFound: (path: string): GraphError => ({ status: 400, code: "BadRequest", message: `Resource not found for the segment '${path.split("/").filter(Boolean).pop() ?? ""}'.` }),
  serverError: (): GraphError => ({ status: 500, code: "ErrorInternalServerError", message: "An internal server error occurred. The operation failed." }),
  throttled: (retryAfter: number): GraphError => ({ status: 429, code: "ApplicationThrottled", message: "Application is over its MailboxConcurrency limit.", headers: { "Retry-After": String(retryAfter) } }),
};

export function graphHeaders(ctx: RequestContext): Record<string, string> {
  return {
    "request-id": ctx.traceId,
    "client-request-id": ctx.req.headers["client-request-id"] === undefined ? ctx.traceId : ctx.correlationId,
    "x-ms-ags-diagnostic": JSON.stringify({ ServerInfo: { DataCenter: "Stand-in", Slice: "E", Ring: "5", ScaleUnit: "000", RoleInstance: "STANDIN" } }),
    "Cache-Control": "no-cache",
    "Strict-Transport-Security": "max-age=31536000",
  };
}

export function sendGraphError(ctx: RequestContext, err: GraphError, identityBaseUrl: string): void {
  ctx.record.errorCode = err.code;
  const headers: Record<string, string> = { ...graphHeaders(ctx), ...(err.headers ?? {}) };
  if (err.status === 401) {
    headers["WWW-Authenticate"] = `Bearer realm="", authorization_uri="${identityBaseUrl}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`;
  }
  const h = graphHeaders(ctx);
  sendJson(
    ctx,
    err.status,
    { error: { code: err.code, message: err.message, innerError: { date: new Date().toISOString().slice(0, 19), "request-id": h["request-id"], "client-request-id": h["client-request-id"] } } },
    headers,
  );
}

export function sendGraphJson(ctx: RequestContext, status: number, body: unknown): void {
  sendJson(ctx, status, body, { ...graphHeaders(ctx), "Content-Type": "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8" });
}
