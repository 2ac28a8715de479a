// POST /{tenant}/oauth2/v2.0/token: tenant, grant type and client checks in Microsoft's order,
// armed faults, client authentication, then the grant handlers. Errors: reference §6 JSON.
import type { RequestContext, Route } from "../http/server";
import { route } from "../http/server";
import type { ArmedFault } from "../faults";
import type { User } from "../directory";
import type { IdentityDeps } from "./deps";
import { aad, type AadError } from "./errors";
import { authenticateClient, parseBasicAuth } from "./client-auth";
import { directoryName, probeTenant } from "./authorize-endpoint";
import { isGeneric, takeGenericFault } from "./generic-faults";
import { GRAPH } from "./resources";
import { sendTokenError, sendTokenJson } from "./respond";
import { analyseScopes, splitScopeParam } from "./scopes";
import { isAlias, resolveTenantSegment, type TenantSegment } from "./tenant-segment";
import { authorizationCodeGrant } from "./grants/authorization-code-grant";
import { clientCredentialsGrant } from "./grants/client-credentials-grant";
import { refreshTokenGrant } from "./grants/refresh-token-grant";
import type { GrantContext } from "./grants/grant-context";

const GRANTS: Record<string, (g: GrantContext) => Promise<void>> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
};

/** The user a code or refresh token belongs to, for fault matching and the request log. */
function subjectOf(deps: IdentityDeps, grantType: string, form: URLSearchParams): { user: User; issuedAt?: Date } | undefined {
  if (grantType === "authorization_code") {
    const code = deps.state.codes.get(form.get("code") ?? "");
    const user = code ? deps.directory.userById(code.user.tenantId, code.user.userId) : undefined;
    return user ? { user } : undefined;
  }
  if (grantType === "refresh_token") {
    const rt = deps.state.refreshTokens.get(form.get("refresh_token") ?? "");
    const user = rt ? deps.directory.userById(rt.user.tenantId, rt.user.userId) : undefined;
    return user ? { user, issuedAt: rt!.issuedAt } : undefined;
  }
  return undefined;
}

function resourceAppIdOf(form: URLSearchParams): string {
  const first = analyseScopes(splitScopeParam(form.get("scope")), form.get("grant_type") === "client_credentials" ? "application" : "delegated").resources[0];
  return (first?.resource ?? GRAPH).appId;
}

function faultError(fault: ArmedFault, form: URLSearchParams, clientId: string, appName: string, seg: TenantSegment, issuedAt: Date | undefined): AadError | undefined {
  switch (fault.kind) {
    case "consent_required":
      return aad.consentRequired(clientId, appName);
    case "redirect_uri_mismatch":
      return aad.redirectUriMismatch(form.get("redirect_uri") ?? "", clientId);
    case "invalid_client_secret":
      return aad.invalidSecret(clientId);
    case "expired_client_secret":
      return aad.expiredSecret(clientId);
    case "app_not_in_tenant":
      return aad.appNotFound(clientId, directoryName(seg));
    case "single_tenant_on_common":
      return aad.notMultiTenant(clientId, appName);
    case "refresh_token_revoked":
      return aad.refreshTokenRevoked(issuedAt ?? new Date(Date.now() - 3600_000), new Date());
    case "refresh_token_inactive":
      return aad.refreshTokenInactive(issuedAt ?? new Date(Date.now() - 91 * 24 * 3600_000));
    case "mfa_required":
      return aad.mfaRequired(resourceAppIdOf(form));
    case "conditional_access_blocked":
      return aad.conditionalAccessBlocked();
    default:
      return undefined;
  }
}

function tokenUrls(deps: IdentityDeps, seg: TenantSegment): string[] {
  const base = deps.baseUrl();
  const urls = [`${base}/${seg.segment}/oauth2/v2.0/token`];
  if (seg.kind === "tenant") urls.push(`${base}/${seg.tenant.id}/oauth2/v2.0/token`, ...seg.tenant.domains.map((d) => `${base}/${d}/oauth2/v2.0/token`));
  return [...new Set(urls)];
}

async function token(deps: IdentityDeps, ctx: RequestContext, match: RegExpExecArray): Promise<void> {
  ctx.record.endpoint = "token";
  const fail = (err: AadError): void => sendTokenError(ctx, err, deps.baseUrl());
  if (ctx.method !== "POST") return fail(aad.onlyPost(ctx.method));
  const seg = resolveTenantSegment(deps.directory, decodeURIComponent(match[1]!));
  ctx.record.tenant = seg.kind === "tenant" ? seg.tenant.id : seg.segment;
  const form = await ctx.form();
  const basic = parseBasicAuth(ctx.req.headers.authorization);
  const grantType = form.get("grant_type");
  const clientId = form.get("client_id") ?? basic?.clientId ?? null;
  if (grantType) ctx.record.grantType = grantType;
  if (clientId) ctx.record.clientId = clientId;

  if (seg.kind === "unknown") return fail(aad.tenantNotFound(seg.segment));
  if (!grantType) return fail(aad.missingParameter("grant_type"));
  const handler = GRANTS[grantType];
  if (!handler) return fail(aad.unsupportedGrantType(grantType));
  if (!clientId) return fail(aad.missingParameter("client_id"));

  const subject = subjectOf(deps, grantType, form);
  if (subject) ctx.record.user = subject.user.upn;
  const subjectTenant = subject ? deps.directory.tenantById(subject.user.tenantId) : undefined;
  const app = deps.directory.app(clientId);
  const fault = await takeGenericFault(deps, ctx, {
    endpoint: "token",
    grantType,
    clientId,
    ...(subject ? { user: { upn: subject.user.upn, id: subject.user.id } } : {}),
    ...(probeTenant(seg) ? { tenant: probeTenant(seg)! } : subjectTenant ? { tenant: { id: subjectTenant.id, domains: subjectTenant.domains } } : {}),
  });
  if (fault) {
    if (isGeneric(fault)) return;
    const err = faultError(fault, form, clientId, app?.displayName ?? clientId, seg, subject?.issuedAt);
    if (err) return fail(err);
  }

  if (!app) return fail(aad.appNotFound(clientId, directoryName(seg)));
  // Reference §1.2: single-tenant apps must name their tenant.
  if (app.signInAudience === "AzureADMyOrg") {
    if (isAlias(seg)) return fail(aad.notMultiTenant(app.clientId, app.displayName));
    if (seg.kind === "tenant" && seg.tenant.id !== app.homeTenantId) return fail(aad.appNotFound(app.clientId, directoryName(seg)));
  }
  if (seg.kind === "consumers" && app.signInAudience !== "AzureADandPersonalMicrosoftAccount") return fail(aad.aadOnlyOnConsumers(app.clientId, app.displayName));
  if (grantType === "client_credentials") {
    // Reference §1.2: admin consent and client credentials use the customer's tenant ID.
    if (seg.kind === "common" || seg.kind === "consumers") return fail(aad.grantNotOnCommon());
    if (seg.kind === "organizations") {
      return fail({ error: "invalid_request", code: 50059, message: "No tenant-identifying information found in either the request or implied by any provided credentials." });
    }
    if (seg.kind === "tenant" && !deps.directory.servicePrincipal(seg.tenant.id, app.clientId)) return fail(aad.appNotFound(app.clientId, seg.tenant.displayName));
  }

  const auth = authenticateClient(
    app,
    {
      ...(form.get("client_secret") !== null ? { clientSecret: form.get("client_secret")! } : basic ? { clientSecret: basic.clientSecret } : {}),
      ...(form.get("client_assertion") !== null ? { clientAssertion: form.get("client_assertion")! } : {}),
      ...(form.get("client_assertion_type") !== null ? { clientAssertionType: form.get("client_assertion_type")! } : {}),
    },
    tokenUrls(deps, seg),
  );
  if (!auth.ok) return fail(auth.error);

  await handler({
    deps,
    ctx,
    form,
    segment: seg,
    app,
    appidacr: auth.appidacr,
    fail,
    succeed: (body) => sendTokenJson(ctx, 200, body),
  });
}

export function tokenRoutes(deps: IdentityDeps): Route[] {
  return [route(["POST", "GET"], /^\/([^/]+)\/oauth2\/v2\.0\/token$/, (ctx, m) => token(deps, ctx, m))];
}
