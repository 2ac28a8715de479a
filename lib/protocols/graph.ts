// Microsoft Graph check with @microsoft/microsoft-graph-client.
// Inbound: GET /v1.0/users/{mailbox}/mailFolders/inbox (totalItemCount, unreadItemCount).
// Outbound: Mail.Send must be in the token (scp delegated, roles app-only; read without
// verification), and with a test address one POST /v1.0/users/{mailbox}/sendMail.
//
// The client runs a custom middleware chain: its AuthenticationHandler (which adds the bearer token
// only for Graph hosts and `customHosts`, toolchain notes) and a last handler that sends the
// request over node:https with this check's CA and deadline. The default chain's RetryHandler is
// left out on purpose: a health check reports a 429 instead of waiting it out.
import { AuthenticationHandler, Client, GraphError, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import { CheckFailure, classifyTransportError, type CheckStage } from "./check-failure";
import { diagnoseTokenRefusal, requiredPermissions } from "./diagnose-token-refusal";
import { httpsRequest } from "./https-request";
import type { AdapterContext, CheckDetails, CheckInput } from "./protocol-check";
import { audienceResource, readAccessTokenClaims } from "./token-claims";

/** Sends the graph-client's request over node:https and hands back a fetch Response. */
class CheckFetchHandler implements Middleware {
  /** graph-client turns a thrown error into a GraphError without its `code`: keep the original. */
  transportError: unknown;

  constructor(
    private readonly input: CheckInput,
    private readonly ctx: AdapterContext,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const options = context.options ?? {};
    const headers = flattenHeaders(options.headers);
    const body = typeof options.body === "string" ? options.body : undefined;
    const method = (options.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "POST") throw new Error(`unexpected Graph method ${method}`);
    this.ctx.clock.enter("connect");
    let res;
    try {
      res = await httpsRequest({
        url,
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(this.input.trustedCaPem ? { trustedCaPem: this.input.trustedCaPem } : {}),
        timeoutMs: this.ctx.timeoutMs,
        signal: this.ctx.signal,
        onConnected: () => this.ctx.clock.enter("operation"),
      });
    } catch (error) {
      this.transportError = error;
      throw error;
    }
    const nullBody = res.status === 204 || res.status === 205 || res.status === 304;
    context.response = new Response(nullBody ? null : res.body, { status: res.status, headers: res.headers });
  }
}

function flattenHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) {
    headers.forEach((v, k) => (out[k] = v));
    return out;
  }
  if (Array.isArray(headers)) {
    for (const [k, v] of headers as Array<[string, string]>) out[k] = v;
    return out;
  }
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (typeof v === "string") out[k] = v;
  return out;
}

/** "https://graph.microsoft.com/v1.0/" → "https://graph.microsoft.com" (the client adds the version). */
export function graphRoot(graphBaseUrl: string): string {
  const url = new URL(graphBaseUrl);
  const path = url.pathname.replace(/\/+$/, "").replace(/\/(v1\.0|beta)$/i, "");
  return `${url.origin}${path}`;
}

function createClient(input: CheckInput, ctx: AdapterContext): { client: Client; fetcher: CheckFetchHandler } {
  const root = graphRoot(input.graphBaseUrl!);
  const auth = new AuthenticationHandler({ getAccessToken: async () => input.accessToken });
  const fetcher = new CheckFetchHandler(input, ctx);
  auth.setNext(fetcher);
  const client = Client.initWithMiddleware({
    middleware: auth,
    baseUrl: root,
    defaultVersion: "v1.0",
    // Hostnames only (no port): graph-client compares the URL's host without its port.
    customHosts: new Set([new URL(root).hostname]),
  });
  return { client, fetcher };
}

export async function checkGraph(input: CheckInput, ctx: AdapterContext): Promise<CheckDetails> {
  ctx.clock.enter("connect");
  const { client, fetcher } = createClient(input, ctx);
  const user = encodeURIComponent(input.mailbox);
  if (input.direction === "inbound") {
    try {
      const folder = (await client.api(`/users/${user}/mailFolders/inbox`).get()) as { displayName?: unknown; totalItemCount?: unknown; unreadItemCount?: unknown };
      return {
        folder: typeof folder.displayName === "string" ? folder.displayName : "Inbox",
        messages: typeof folder.totalItemCount === "number" ? folder.totalItemCount : 0,
        unseen: typeof folder.unreadItemCount === "number" ? folder.unreadItemCount : 0,
      };
    } catch (error) {
      throw classifyGraphError(fetcher.transportError ?? error, input, ctx.clock.stage);
    }
  }

  // Outbound: what the token grants, before anything is sent.
  ctx.clock.enter("auth");
  const granted = mailSendGrant(input);
  if (!input.testMessageTo) {
    ctx.clock.finish();
    return { sent: false, mailSendGranted: true, permission: granted, checkedBy: "token claims (not verified by Graph)" };
  }
  const from = input.fromAddress ?? input.mailbox;
  const message: Record<string, unknown> = {
    subject: input.message?.subject ?? "Mailbox OAuth Portal: Graph test message",
    body: { contentType: "Text", content: input.message?.text ?? `This is a test message from the Mailbox OAuth Portal's Graph check for ${input.mailbox}. It can be deleted.` },
    toRecipients: [{ emailAddress: { address: input.testMessageTo } }],
  };
  if (from.toLowerCase() !== input.mailbox.toLowerCase()) message.from = { emailAddress: { address: from } };
  try {
    await client.api(`/users/${user}/sendMail`).post({ message, saveToSentItems: true });
  } catch (error) {
    throw classifyGraphError(fetcher.transportError ?? error, input, ctx.clock.stage);
  }
  return { sent: true, mailSendGranted: true, permission: granted, from, to: input.testMessageTo };
}

/** The Mail.Send permission the token carries, or a CheckFailure explaining what is wrong with it. */
function mailSendGrant(input: CheckInput): string {
  const claims = readAccessTokenClaims(input.accessToken);
  if (!claims) {
    throw new CheckFailure({ stage: "auth", errorClass: "auth_failed", diagnosis: "The token is not a readable JWT (personal Microsoft accounts get opaque tokens), so whether it grants Mail.Send cannot be read from it. Send a test message to check." });
  }
  if (audienceResource(claims.aud) === "exchange") {
    throw new CheckFailure({ stage: "auth", errorClass: "wrong_audience", diagnosis: `The token is for ${claims.aud}; Graph needs a token for https://graph.microsoft.com.` });
  }
  if (claims.exp !== undefined && claims.exp * 1000 <= Date.now()) {
    throw new CheckFailure({ stage: "auth", errorClass: "auth_failed", diagnosis: `The token expired at ${new Date(claims.exp * 1000).toISOString()}.` });
  }
  const isApp = claims.idtyp === "app" || (claims.roles.length > 0 && claims.scopes.length === 0);
  const shared = !isApp && claims.user !== undefined && claims.user !== input.mailbox.toLowerCase();
  const needed = requiredPermissions("graph", "outbound", isApp ? "app_only" : "delegated", shared);
  const have = isApp ? claims.roles : claims.scopes;
  const found = needed.anyOf.find((p) => have.includes(p));
  if (!found) {
    throw new CheckFailure({
      stage: "auth",
      errorClass: "missing_permission",
      diagnosis: `The token does not grant ${needed.anyOf.join(" or ")} (${isApp ? "application roles" : "delegated scopes"} in the token: ${have.length ? have.join(", ") : "none"}).`,
    });
  }
  return found;
}

function retryAfterSeconds(headers: unknown): number | undefined {
  const value = headers instanceof Headers ? headers.get("retry-after") : undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

export function classifyGraphError(error: unknown, input: CheckInput, stage: CheckStage): CheckFailure {
  if (error instanceof CheckFailure) return error;
  if (!(error instanceof GraphError) || error.statusCode <= 0) {
    const transport = classifyTransportError(error);
    if (transport) {
      return new CheckFailure({ stage: transport.errorClass === "timeout" ? stage : transport.stage, errorClass: transport.errorClass, facts: { code: transport.code, response: transport.message } });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new CheckFailure({ stage, errorClass: "unknown", facts: { response: message } });
  }
  const status = error.statusCode;
  const code = error.code ?? "";
  const response = `${status} ${code}: ${error.message}`.trim();
  const facts = { status, code, response, ...graphBodyAndHeaders(error) };
  const at: CheckStage = status === 401 ? "auth" : "operation";

  if (status === 429) {
    const retry = retryAfterSeconds(error.headers);
    return new CheckFailure({ stage: at, errorClass: "throttled", facts, ...(retry !== undefined ? { retryAfterSeconds: retry, diagnosis: `Graph asks to wait ${retry} s before the next request.` } : {}) });
  }
  if (status === 401) {
    if (/audience/i.test(error.message)) {
      const claims = readAccessTokenClaims(input.accessToken);
      return new CheckFailure({ stage: at, errorClass: "wrong_audience", facts, diagnosis: `The token is for ${claims?.aud ?? "another resource"}; Graph needs a token for https://graph.microsoft.com (scopes https://graph.microsoft.com/Mail.Read, …/.default).` });
    }
    const verdict = diagnoseTokenRefusal({
      protocol: "graph",
      direction: input.direction,
      mailbox: input.mailbox,
      accessToken: input.accessToken,
      authMode: input.authMode,
      whenOwnTokenLooksRight: "auth_failed",
      whenDelegateTokenLooksRight: "auth_failed",
      ownTokenNote: "Graph still refused it: the token may be forged, for another tenant or cloud, or damaged.",
      delegateTokenNote: "Graph still refused it.",
    });
    return new CheckFailure({ stage: at, errorClass: verdict.errorClass === "wrong_audience" ? "wrong_audience" : "auth_failed", facts, diagnosis: verdict.diagnosis });
  }
  if (status === 403) {
    if (code === "ErrorSendAsDenied") {
      return new CheckFailure({ stage: at, errorClass: "send_as_denied", facts, diagnosis: `${input.mailbox} may not send as ${input.fromAddress ?? input.mailbox}: it needs Send As on that address.` });
    }
    if (/AccessPolicy/i.test(error.message)) {
      return new CheckFailure({ stage: at, errorClass: "missing_permission", facts, diagnosis: "An Application Access Policy (or RBAC for Applications scope) in the tenant keeps this app away from the mailbox." });
    }
    const verdict = diagnoseTokenRefusal({
      protocol: "graph",
      direction: input.direction,
      mailbox: input.mailbox,
      accessToken: input.accessToken,
      authMode: input.authMode,
      whenOwnTokenLooksRight: "missing_permission",
      whenDelegateTokenLooksRight: "not_connected",
      ownTokenNote: "Graph still denied access to the mailbox.",
      delegateTokenNote: "Reading another user's mailbox also needs Full Access to it (Add-MailboxPermission); sending as it needs Send As.",
    });
    const errorClass = verdict.errorClass === "protocol_disabled" ? "missing_permission" : verdict.errorClass;
    return new CheckFailure({ stage: at, errorClass, facts, diagnosis: verdict.diagnosis });
  }
  if (status === 404) {
    return new CheckFailure({ stage: at, errorClass: "mailbox_not_found", facts, diagnosis: code === "MailboxNotEnabledForRESTAPI" ? "The user exists but has no Exchange Online mailbox Graph can reach (inactive, soft-deleted or on-premises)." : `Graph knows no user or mailbox ${input.mailbox}.` });
  }
  if (status >= 500) return new CheckFailure({ stage: at, errorClass: status === 503 && retryAfterSeconds(error.headers) !== undefined ? "throttled" : "server_error", facts });
  return new CheckFailure({ stage: at, errorClass: "unknown", facts });
}

/** graph-client keeps only the inner error object as `body`; the catalog reads Graph's own shape ({"error": …}). */
function graphBodyAndHeaders(error: GraphError): { body?: string; headers?: Record<string, string> } {
  const out: { body?: string; headers?: Record<string, string> } = {};
  if (typeof error.body === "string") {
    try {
      out.body = JSON.stringify({ error: JSON.parse(error.body) as unknown });
    } catch {
      out.body = error.body;
    }
  }
  if (error.headers instanceof Headers) {
    const headers: Record<string, string> = {};
    for (const name of ["retry-after", "request-id", "client-request-id"]) {
      const value = error.headers.get(name);
      if (value) headers[name] = value;
    }
    if (Object.keys(headers).length) out.headers = headers;
  }
  return out;
}
