// GET/POST /{tenant}/oauth2/v2.0/authorize (reference §7): authorization code with PKCE, state,
// nonce, login_hint, prompt, response_mode query/fragment/form_post. Errors before the redirect
// URI is trusted appear on Microsoft's error page; later ones go back to the client carrying only
// error, error_description and state (reference §6).
import { sendHtml, type RequestContext, type Route, route } from "../http/server";
import type { RegisteredApp, User } from "../directory";
import type { ArmedFault } from "../faults";
import type { IdentityDeps } from "./deps";
import { aad, type AadError } from "./errors";
import { consentItems, grantUserConsent, isEmpty, missingConsent, requestedDelegated, type PermissionSet } from "./consent";
import { accountPickerPage, consentPage } from "./login-pages";
import { deliverToClient, ESTS_HEADERS, sendAuthorizeRedirectError, sendErrorPage } from "./respond";
import { analyseScopes, splitScopeParam } from "./scopes";
import { EXCHANGE } from "./resources";
import type { ResponseMode, SignInTransaction } from "./state";
import { eligibleUsers, isAlias, resolveTenantSegment, type TenantSegment } from "./tenant-segment";
import { takeGenericFault, isGeneric } from "./generic-faults";

export const SESSION_COOKIE = "ESTSAUTH_STAND_IN";

const RESPONSE_MODES: ResponseMode[] = ["query", "fragment", "form_post"];

export function directoryName(seg: TenantSegment): string {
  return seg.kind === "tenant" ? seg.tenant.displayName : seg.segment;
}

export function probeTenant(seg: TenantSegment): { id: string; domains: string[] } | undefined {
  return seg.kind === "tenant" ? { id: seg.tenant.id, domains: seg.tenant.domains } : undefined;
}

/** Renders an armed authorize fault. Returns true when it answered the request. */
function answerAuthorizeFault(deps: IdentityDeps, ctx: RequestContext, fault: ArmedFault, app: RegisteredApp, redirectUri: string, mode: ResponseMode, state: string | undefined, seg: TenantSegment): boolean {
  if (isGeneric(fault)) return true;
  const redirectError = (err: AadError): true => {
    sendAuthorizeRedirectError(ctx, err, redirectUri, mode, state);
    return true;
  };
  switch (fault.kind) {
    case "redirect_uri_mismatch":
      sendErrorPage(ctx, aad.redirectUriMismatch(redirectUri, app.clientId));
      return true;
    case "app_not_in_tenant":
      sendErrorPage(ctx, aad.appNotFound(app.clientId, directoryName(seg)));
      return true;
    case "single_tenant_on_common":
      return redirectError(aad.notMultiTenant(app.clientId, app.displayName));
    case "consent_required":
      return redirectError(aad.consentRequired(app.clientId, app.displayName, "consent_required"));
    case "mfa_required":
      return redirectError(aad.mfaRequired(EXCHANGE.appId, "interaction_required"));
    case "conditional_access_blocked":
      return redirectError(aad.conditionalAccessBlocked("access_denied"));
    default:
      return false;
  }
}

/**
 * What /authorize and /adminconsent check first, in Microsoft's order: the tenant segment, the
 * client, the redirect URI (reference §6: 90002, 700016, 50011). Sends the error page and returns
 * null when one is wrong, because a bad client or redirect URI must never be redirected to.
 */
export function resolveClientRequest(
  deps: IdentityDeps,
  ctx: RequestContext,
  params: URLSearchParams,
  tenantSegment: string,
): { seg: TenantSegment; app: RegisteredApp; redirectUri: string; state: string | undefined } | null {
  const refuse = (err: AadError): null => {
    sendErrorPage(ctx, err);
    return null;
  };
  const seg = resolveTenantSegment(deps.directory, decodeURIComponent(tenantSegment));
  ctx.record.tenant = seg.kind === "tenant" ? seg.tenant.id : seg.segment;
  if (seg.kind === "unknown") return refuse(aad.tenantNotFound(seg.segment));
  const clientId = params.get("client_id");
  if (!clientId) return refuse(aad.missingParameter("client_id"));
  ctx.record.clientId = clientId;
  const app = deps.directory.app(clientId);
  if (!app) return refuse(aad.appNotFound(clientId, directoryName(seg)));
  const redirectUri = params.get("redirect_uri");
  if (!redirectUri) return refuse(aad.missingParameter("redirect_uri"));
  if (!app.redirectUris.includes(redirectUri)) return refuse(aad.redirectUriMismatch(redirectUri, app.clientId));
  return { seg, app, redirectUri, state: params.get("state") ?? undefined };
}

async function authorize(deps: IdentityDeps, ctx: RequestContext, match: RegExpExecArray): Promise<void> {
  ctx.record.endpoint = "authorize";
  const params = ctx.method === "POST" ? await ctx.form() : ctx.url.searchParams;
  const request = resolveClientRequest(deps, ctx, params, match[1]!);
  if (!request) return;
  const { seg, app, redirectUri, state } = request;
  const clientId = app.clientId;
  const requestedMode = params.get("response_mode") ?? "query";
  const mode: ResponseMode = RESPONSE_MODES.includes(requestedMode as ResponseMode) ? (requestedMode as ResponseMode) : "query";
  const fail = (err: AadError): void => sendAuthorizeRedirectError(ctx, err, redirectUri, mode, state);

  const fault = await takeGenericFault(deps, ctx, { endpoint: "authorize", clientId, tenant: probeTenant(seg) }, "page");
  if (fault && answerAuthorizeFault(deps, ctx, fault, app, redirectUri, mode, state, seg)) return;

  if (!RESPONSE_MODES.includes(requestedMode as ResponseMode)) return fail(aad.unsupportedResponseMode(requestedMode));
  // Reference §1.2: a single-tenant app must use its tenant; on /common it fails with 50194.
  if (app.signInAudience === "AzureADMyOrg") {
    if (isAlias(seg)) return fail(aad.notMultiTenant(app.clientId, app.displayName));
    if (seg.kind === "tenant" && seg.tenant.id !== app.homeTenantId) return sendErrorPage(ctx, aad.appNotFound(app.clientId, directoryName(seg)));
  }
  if (seg.kind === "consumers" && app.signInAudience !== "AzureADandPersonalMicrosoftAccount") return fail(aad.aadOnlyOnConsumers(app.clientId, app.displayName));

  const responseType = params.get("response_type");
  if (!responseType) return fail(aad.missingParameter("response_type"));
  if (responseType !== "code") return fail(aad.unsupportedResponseType(responseType));

  const scopes = splitScopeParam(params.get("scope"));
  if (scopes.length === 0) return fail(aad.missingParameter("scope"));
  const analysis = analyseScopes(scopes);
  const problem = analysis.problems[0];
  if (problem?.kind === "unknown-resource") return fail(aad.resourceNotFound(problem.uri, directoryName(seg)));
  if (problem) return fail(aad.invalidScope(problem.raw));
  if (analysis.resources.some((r) => r.hasDefault && r.names.length > 0)) {
    return fail({ ...aad.invalidScope(scopes.join(" ")), message: `${aad.invalidScope(scopes.join(" ")).message} .default scope can't be combined with resource-specific scopes.` });
  }

  const codeChallenge = params.get("code_challenge") ?? undefined;
  let codeChallengeMethod: "S256" | "plain" | undefined;
  if (codeChallenge !== undefined) {
    const method = params.get("code_challenge_method") ?? "plain";
    if (method !== "S256" && method !== "plain") return fail(aad.pkceMethod(method));
    if (codeChallenge.length < 43 || codeChallenge.length > 128 || (method === "S256" && codeChallenge.length !== 43)) return fail(aad.pkceChallengeSize());
    codeChallengeMethod = method;
  }

  const prompt = params.get("prompt") ?? undefined;
  const tx = deps.state.newTransaction({
    flow: "authorize",
    segment: seg,
    clientId: app.clientId,
    redirectUri,
    responseMode: mode,
    scopes,
    ...(state !== undefined ? { state } : {}),
    ...(params.get("nonce") !== null ? { nonce: params.get("nonce")! } : {}),
    ...(codeChallenge !== undefined ? { codeChallenge, codeChallengeMethod } : {}),
    // Reference §7: select_account cannot be combined with login_hint; the hint is ignored then.
    ...(params.get("login_hint") && prompt !== "select_account" ? { loginHint: params.get("login_hint")! } : {}),
    ...(prompt !== undefined ? { prompt } : {}),
  });

  const eligible = eligibleUsers(deps.directory, seg, app);
  const session = sessionUser(deps, ctx, eligible, tx);
  if (prompt === "none") {
    if (!session || (tx.loginHint && tx.loginHint.toLowerCase() !== session.upn)) return fail(aad.loginRequired());
    return continueAuthorize(deps, ctx, tx, session, false);
  }
  if (session && prompt !== "login" && prompt !== "select_account" && (!tx.loginHint || tx.loginHint.toLowerCase() === session.upn)) {
    return continueAuthorize(deps, ctx, tx, session, true);
  }
  renderPicker(deps, ctx, tx, app, eligible);
}

function sessionUser(deps: IdentityDeps, ctx: RequestContext, eligible: User[], tx: SignInTransaction): User | undefined {
  const sid = ctx.cookie(SESSION_COOKIE);
  const session = sid ? deps.state.sessions.get(sid) : undefined;
  if (!sid || !session) return undefined;
  const user = eligible.find((u) => u.tenantId === session.user.tenantId && u.id === session.user.userId);
  if (user) {
    tx.sessionId = sid;
    tx.authTime = session.authTime;
  }
  return user;
}

export function renderPicker(deps: IdentityDeps, ctx: RequestContext, tx: SignInTransaction, app: RegisteredApp, users: User[], heading?: string): void {
  ctx.record.endpoint = ctx.record.endpoint ?? "authorize";
  sendHtml(
    ctx,
    200,
    accountPickerPage({
      action: `/${encodeURIComponent(tx.segment.segment)}/login`,
      transactionId: tx.id,
      appName: app.displayName,
      users,
      ...(tx.loginHint !== undefined ? { loginHint: tx.loginHint } : {}),
      ...(heading !== undefined ? { heading } : {}),
    }),
    ESTS_HEADERS,
  );
}

function requestedFor(tx: SignInTransaction, app: RegisteredApp): PermissionSet {
  return requestedDelegated(app, analyseScopes(tx.scopes));
}

/** After the user is known (picked, or SSO): faults aimed at the user, consent, then the code. */
export async function continueAuthorize(deps: IdentityDeps, ctx: RequestContext, tx: SignInTransaction, user: User, interactive: boolean): Promise<void> {
  const app = deps.directory.app(tx.clientId)!;
  ctx.record.user = user.upn;
  tx.user = { tenantId: user.tenantId, userId: user.id };
  const tenant = deps.directory.tenantById(user.tenantId)!;
  const fault = await takeGenericFault(deps, ctx, { endpoint: "authorize", clientId: app.clientId, tenant: { id: tenant.id, domains: tenant.domains }, user: { upn: user.upn, id: user.id } }, "page");
  if (fault && answerAuthorizeFault(deps, ctx, fault, app, tx.redirectUri, tx.responseMode, tx.state, tx.segment)) return;

  const requested = requestedFor(tx, app);
  const missing = missingConsent(deps.directory, user, app, requested);
  if (tx.prompt === "consent" || !isEmpty(missing)) {
    if (!interactive) return sendAuthorizeRedirectError(ctx, aad.consentRequired(app.clientId, app.displayName, "consent_required"), tx.redirectUri, tx.responseMode, tx.state);
    const show = tx.prompt === "consent" ? requested : missing;
    sendHtml(
      ctx,
      200,
      consentPage({
        action: `/${encodeURIComponent(tx.segment.segment)}/Consent/Set`,
        transactionId: tx.id,
        appName: app.displayName,
        publisher: deps.directory.tenantById(app.homeTenantId)?.displayName ?? "unverified",
        user,
        items: consentItems(show),
        forOrganization: false,
      }),
      ESTS_HEADERS,
    );
    return;
  }
  issueCode(deps, ctx, tx, user);
}

export async function decideAuthorizeConsent(deps: IdentityDeps, ctx: RequestContext, tx: SignInTransaction, user: User, accept: boolean): Promise<void> {
  const app = deps.directory.app(tx.clientId)!;
  ctx.record.user = user.upn;
  if (!accept) {
    return sendAuthorizeRedirectError(ctx, aad.userDeclinedConsent(), tx.redirectUri, tx.responseMode, tx.state);
  }
  const requested = requestedFor(tx, app);
  grantUserConsent(deps.directory, user, app, tx.prompt === "consent" ? requested : missingConsent(deps.directory, user, app, requested));
  issueCode(deps, ctx, tx, user);
}

function issueCode(deps: IdentityDeps, ctx: RequestContext, tx: SignInTransaction, user: User): void {
  const sessionId = tx.sessionId ?? deps.tokens.newSessionId();
  const authTime = tx.authTime ?? Math.floor(Date.now() / 1000);
  const code = deps.state.newCode({
    clientId: tx.clientId,
    redirectUri: tx.redirectUri,
    scopes: tx.scopes,
    user: { tenantId: user.tenantId, userId: user.id },
    segment: tx.segment,
    ...(tx.codeChallenge !== undefined ? { codeChallenge: tx.codeChallenge, codeChallengeMethod: tx.codeChallengeMethod ?? "plain" } : {}),
    ...(tx.nonce !== undefined ? { nonce: tx.nonce } : {}),
    authTime,
    sessionId,
    expiresAt: Date.now() + deps.settings().authorizationCodeLifetimeSeconds * 1000,
  });
  deps.state.transactions.delete(tx.id);
  const params: Record<string, string> = { code: code.code };
  if (tx.state !== undefined) params.state = tx.state;
  params.session_state = sessionId;
  deliverToClient(ctx, tx.redirectUri, params, tx.responseMode);
}

async function logout(deps: IdentityDeps, ctx: RequestContext): Promise<void> {
  ctx.record.endpoint = "logout";
  const sid = ctx.cookie(SESSION_COOKIE);
  if (sid) deps.state.sessions.delete(sid);
  const clear = { "Set-Cookie": `${SESSION_COOKIE}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=None` };
  const target = ctx.url.searchParams.get("post_logout_redirect_uri");
  const registered = target !== null && deps.directory.listApps().some((a) => a.redirectUris.includes(target) || a.redirectUris.some((r) => new URL(r).origin === safeOrigin(target)));
  if (target && registered) {
    ctx.res.writeHead(302, { Location: target, ...clear, ...ESTS_HEADERS });
    ctx.res.end();
    return;
  }
  sendHtml(ctx, 200, "<!DOCTYPE html><title>Signed out</title><h1>You signed out of your account</h1><p>It's a good idea to close all browser windows.</p>", { ...clear, ...ESTS_HEADERS });
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

export function authorizeRoutes(deps: IdentityDeps): Route[] {
  return [
    route(["GET", "POST"], /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/, (ctx, m) => authorize(deps, ctx, m)),
    route("GET", /^\/([^/]+)\/oauth2\/v2\.0\/logout$/, (ctx) => logout(deps, ctx)),
  ];
}

