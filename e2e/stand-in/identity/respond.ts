// Rendering AADSTS errors on the three surfaces: token JSON, authorize redirect, error page.
import { redirect, sendHtml, sendJson, type RequestContext } from "../http/server";
import { errorStatus, redirectErrorParams, tokenErrorBody, type AadError } from "./errors";
import { errorPage, formPostPage } from "./login-pages";
import type { ResponseMode } from "./state";

export const ESTS_HEADERS = {
  "Cache-Control": "no-store, no-cache",
  Pragma: "no-cache",
  "x-ms-ests-server": "2.1.stand-in",
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
};

function idHeaders(ctx: RequestContext): Record<string, string> {
  return { "x-ms-request-id": ctx.traceId, "client-request-id": ctx.correlationId };
}

export function sendTokenJson(ctx: RequestContext, status: number, body: unknown, extra: Record<string, string> = {}): void {
  sendJson(ctx, status, body, { ...ESTS_HEADERS, ...idHeaders(ctx), ...extra });
}

export function sendTokenError(ctx: RequestContext, err: AadError, loginBaseUrl: string): void {
  ctx.record.errorCode = `AADSTS${err.code}`;
  sendTokenJson(ctx, errorStatus(err), tokenErrorBody(err, ctx, loginBaseUrl), err.headers ?? {});
}

/** Builds redirect_uri + params for the response mode (query string or fragment). */
export function buildRedirect(redirectUri: string, params: Record<string, string>, mode: ResponseMode): string {
  const url = new URL(redirectUri);
  if (mode === "fragment") {
    url.hash = new URLSearchParams(params).toString();
  } else {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  }
  return url.toString();
}

/** Delivers authorize results (code or error) to the client the way response_mode asks. */
export function deliverToClient(ctx: RequestContext, redirectUri: string, params: Record<string, string>, mode: ResponseMode): void {
  if (mode === "form_post") {
    sendHtml(ctx, 200, formPostPage(redirectUri, params), { ...ESTS_HEADERS, ...idHeaders(ctx) });
    return;
  }
  redirect(ctx, buildRedirect(redirectUri, params, mode), { ...ESTS_HEADERS, ...idHeaders(ctx) });
}

export function sendAuthorizeRedirectError(ctx: RequestContext, err: AadError, redirectUri: string, mode: ResponseMode, state: string | undefined): void {
  ctx.record.errorCode = `AADSTS${err.code}`;
  deliverToClient(ctx, redirectUri, redirectErrorParams(err, ctx, state), mode);
}

/** Errors Microsoft shows on its own page because the redirect URI cannot be trusted. */
export function sendErrorPage(ctx: RequestContext, err: AadError): void {
  ctx.record.errorCode = `AADSTS${err.code}`;
  const status = err.status ?? 200;
  sendHtml(ctx, status, errorPage(err, ctx), { ...ESTS_HEADERS, ...idHeaders(ctx), ...(err.headers ?? {}) });
}
