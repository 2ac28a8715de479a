// Successful token responses of the v2 token endpoint (reference §2.3, §5, §7): one access token
// for one resource, a rotated refresh token when offline_access was granted, a v2 ID token when
// openid was requested, and client_info when the client asked for it (MSAL does).
import type { RegisteredApp, Tenant, User } from "../directory";
import type { IdentityDeps } from "./deps";
import { aad, type AadError } from "./errors";
import { staticPermissions } from "./consent";
import { GRAPH, type ResourceApp } from "./resources";
import { audienceFor, type ResourceRequest, type ScopeAnalysis } from "./scopes";
import type { AppIdAcr } from "./token-factory";

export interface DelegatedTokenBody {
  token_type: "Bearer";
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

export interface DelegatedIssue {
  tenant: Tenant;
  user: User;
  app: RegisteredApp;
  /** The single resource of this token; Graph when only OIDC scopes were asked for. */
  resource: ResourceRequest | null;
  analysis: ScopeAnalysis;
  /** All scope strings of the request (kept on the refresh token for scope-less refreshes). */
  requestScopes: string[];
  appidacr: AppIdAcr;
  authTime: number;
  sessionId: string;
  nonce?: string;
  clientInfo: boolean;
}

function prefixed(resource: ResourceApp, uri: string, name: string): string {
  const base = resource === GRAPH ? "https://graph.microsoft.com" : uri;
  return `${base}/${name}`;
}

/** Checks consent and builds the response; an AadError when the user has not consented (65001). */
export function issueDelegated(deps: IdentityDeps, p: DelegatedIssue): DelegatedTokenBody | AadError {
  const { directory, tokens, state } = deps;
  const request: ResourceRequest = p.resource ?? { resource: GRAPH, uri: "https://graph.microsoft.com", names: [], hasDefault: false };
  const granted = directory.grantedScopes(p.user.tenantId, p.app.clientId, p.user.id, request.resource.key);
  const grantedGraph = directory.grantedScopes(p.user.tenantId, p.app.clientId, p.user.id, "graph");
  let names = request.names;
  if (request.hasDefault) {
    // `.default`: every statically configured permission the user/admin has consented to.
    names = staticPermissions(p.app, "delegated", request.resource.key).filter((n) => granted.has(n));
    if (names.length === 0) return aad.consentRequired(p.app.clientId, p.app.displayName);
  }
  const oidcMissing = p.analysis.oidc.filter((s) => !grantedGraph.has(s));
  if (names.some((n) => !granted.has(n)) || oidcMissing.length > 0) return aad.consentRequired(p.app.clientId, p.app.displayName);

  // scp lists everything consented for the resource (not only what this request named).
  const scp = [...granted].filter((n) => n !== "offline_access").sort();
  const access = tokens.delegatedAccessToken({
    tenant: p.tenant,
    user: p.user,
    app: p.app,
    audience: audienceFor(request),
    scopes: scp,
    appidacr: p.appidacr,
    authTime: p.authTime,
    sessionId: p.sessionId,
  });
  const responseScopes = [...scp.filter((n) => !["openid", "profile", "email"].includes(n)).map((n) => prefixed(request.resource, request.uri, n)), ...p.analysis.oidc.filter((s) => s !== "offline_access")];
  const body: DelegatedTokenBody = {
    token_type: "Bearer",
    scope: responseScopes.join(" "),
    expires_in: access.expiresIn,
    ext_expires_in: access.expiresIn,
    access_token: access.token,
  };
  if (p.analysis.oidc.includes("offline_access")) {
    body.refresh_token = state.newRefreshToken({
      clientId: p.app.clientId,
      user: { tenantId: p.user.tenantId, userId: p.user.id },
      scopes: p.requestScopes,
      authTime: p.authTime,
      sessionId: p.sessionId,
    }).token;
  }
  if (p.analysis.oidc.includes("openid")) {
    body.id_token = tokens.idToken({
      tenant: p.tenant,
      user: p.user,
      app: p.app,
      ...(p.nonce !== undefined ? { nonce: p.nonce } : {}),
      authTime: p.authTime,
      sessionId: p.sessionId,
      scopes: p.analysis.oidc,
    });
  }
  if (p.clientInfo) body.client_info = tokens.clientInfo(p.user);
  return body;
}
