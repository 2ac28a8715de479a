// GET /{tenant}/v2.0/adminconsent (reference §7, E4): an administrator signs in and grants the
// app's permissions for the whole tenant. `/.default` means every statically configured
// permission, delegated and application. Success: admin_consent=True&tenant=&scope=&state=;
// decline: admin_consent=True&error=consent_required&error_description=AADSTS65004...&state=.
import { sendHtml, type RequestContext, type Route, route } from "../http/server";
import type { RegisteredApp, User } from "../directory";
import type { IdentityDeps } from "./deps";
import { aad, redirectErrorParams, type AadError } from "./errors";
import { consentItems, staticPermissions, type PermissionSet } from "./consent";
import { consentPage } from "./login-pages";
import { deliverToClient, ESTS_HEADERS, sendErrorPage } from "./respond";
import { RESOURCES, type ResourceKey } from "./resources";
import { analyseScopes, splitScopeParam } from "./scopes";
import type { SignInTransaction } from "./state";
import { eligibleUsers, isAlias } from "./tenant-segment";
import { directoryName, probeTenant, renderPicker, resolveClientRequest } from "./authorize-endpoint";
import { takeGenericFault, isGeneric } from "./generic-faults";

interface AdminPermissions {
  delegated: PermissionSet;
  application: PermissionSet;
}

function adminPermissions(app: RegisteredApp, scopes: string[]): AdminPermissions {
  const analysis = analyseScopes(scopes);
  const delegated: PermissionSet = new Map();
  const application: PermissionSet = new Map();
  const add = (set: PermissionSet, r: ResourceKey, names: string[]): void => {
    if (names.length === 0) return;
    const s = set.get(r) ?? new Set<string>();
    for (const n of names) s.add(n);
    set.set(r, s);
  };
  add(delegated, "graph", analysis.oidc);
  const anyDefault = analysis.resources.some((r) => r.hasDefault);
  for (const r of analysis.resources) add(delegated, r.resource.key, r.names);
  if (anyDefault) {
    // E4: with /.default the admin approves all required permissions, user and app.
    for (const r of RESOURCES) {
      add(delegated, r.key, staticPermissions(app, "delegated", r.key));
      add(application, r.key, staticPermissions(app, "application", r.key));
    }
  }
  return { delegated, application };
}

function failRedirect(ctx: RequestContext, redirectUri: string, err: AadError, state: string | undefined): void {
  ctx.record.errorCode = `AADSTS${err.code}`;
  deliverToClient(ctx, redirectUri, { admin_consent: "True", ...redirectErrorParams(err, ctx, state) }, "query");
}

async function adminConsent(deps: IdentityDeps, ctx: RequestContext, match: RegExpExecArray): Promise<void> {
  ctx.record.endpoint = "adminconsent";
  const params = ctx.url.searchParams;
  const request = resolveClientRequest(deps, ctx, params, match[1]!);
  if (!request) return;
  const { seg, app, redirectUri, state } = request;
  const clientId = app.clientId;

  const fault = await takeGenericFault(deps, ctx, { endpoint: "adminconsent", clientId, tenant: probeTenant(seg) }, "page");
  if (fault) {
    if (isGeneric(fault)) return;
    if (fault.kind === "redirect_uri_mismatch") return sendErrorPage(ctx, aad.redirectUriMismatch(redirectUri, app.clientId));
    return sendErrorPage(ctx, aad.appNotFound(app.clientId, directoryName(seg)));
  }

  if (app.signInAudience === "AzureADMyOrg") {
    if (isAlias(seg)) return failRedirect(ctx, redirectUri, aad.notMultiTenant(app.clientId, app.displayName), state);
    if (seg.kind === "tenant" && seg.tenant.id !== app.homeTenantId) return sendErrorPage(ctx, aad.appNotFound(app.clientId, directoryName(seg)));
  }
  const scopes = splitScopeParam(params.get("scope"));
  if (scopes.length === 0) return failRedirect(ctx, redirectUri, aad.missingParameter("scope"), state);
  const analysis = analyseScopes(scopes);
  const problem = analysis.problems[0];
  if (problem?.kind === "unknown-resource") return failRedirect(ctx, redirectUri, aad.resourceNotFound(problem.uri, directoryName(seg)), state);
  if (problem) return failRedirect(ctx, redirectUri, aad.invalidScope(problem.raw), state);

  // Personal accounts cannot consent for a tenant (E4): organizations semantics for the picker.
  const pickerSegment = seg.kind === "common" || seg.kind === "consumers" ? { kind: "organizations" as const, segment: "organizations" } : seg;
  const tx = deps.state.newTransaction({
    flow: "adminconsent",
    segment: seg,
    clientId: app.clientId,
    redirectUri,
    responseMode: "query",
    scopes,
    ...(state !== undefined ? { state } : {}),
  });
  const admins = eligibleUsers(deps.directory, pickerSegment, app).filter((u) => u.isAdmin);
  renderPicker(deps, ctx, tx, app, admins, "Pick an administrator account");
}

export async function continueAdminConsent(deps: IdentityDeps, ctx: RequestContext, tx: SignInTransaction, user: User): Promise<void> {
  const app = deps.directory.app(tx.clientId)!;
  ctx.record.endpoint = "adminconsent";
  ctx.record.user = user.upn;
  if (!user.isAdmin) return failRedirect(ctx, tx.redirectUri, aad.userNotAdmin(), tx.state);
  tx.user = { tenantId: user.tenantId, userId: user.id };
  const perms = adminPermissions(app, tx.scopes);
  const items = [...consentItems(perms.delegated), ...consentItems(perms.application)];
  sendHtml(
    ctx,
    200,
    consentPage({
      action: `/${encodeURIComponent(tx.segment.segment)}/Consent/Set`,
      transactionId: tx.id,
      appName: app.displayName,
      publisher: deps.directory.tenantById(app.homeTenantId)?.displayName ?? "unverified",
      user,
      items,
      forOrganization: true,
    }),
    ESTS_HEADERS,
  );
}

export async function decideAdminConsent(deps: IdentityDeps, ctx: RequestContext, tx: SignInTransaction, user: User, accept: boolean): Promise<void> {
  const app = deps.directory.app(tx.clientId)!;
  ctx.record.endpoint = "adminconsent";
  ctx.record.user = user.upn;
  deps.state.transactions.delete(tx.id);
  if (!accept) return failRedirect(ctx, tx.redirectUri, aad.adminDeclinedConsent(), tx.state);
  const perms = adminPermissions(app, tx.scopes);
  deps.directory.ensureServicePrincipal(user.tenantId, app.clientId);
  for (const [resource, names] of perms.delegated) deps.directory.grantDelegated(user.tenantId, app.clientId, undefined, resource, [...names]);
  for (const [resource, names] of perms.application) deps.directory.grantAppRoles(user.tenantId, app.clientId, resource, [...names]);
  const params: Record<string, string> = { admin_consent: "True", tenant: user.tenantId, scope: tx.scopes.join(" ") };
  if (tx.state !== undefined) params.state = tx.state;
  deliverToClient(ctx, tx.redirectUri, params, "query");
}

export function adminConsentRoutes(deps: IdentityDeps): Route[] {
  return [route("GET", /^\/([^/]+)\/v2\.0\/adminconsent$/, (ctx, m) => adminConsent(deps, ctx, m))];
}
