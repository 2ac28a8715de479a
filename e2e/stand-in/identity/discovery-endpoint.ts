// OIDC discovery and JWKS per tenant (reference §1.1), the instance-discovery endpoint MSAL may
// call, and the /error lookup page that error_uri points to.
import { escapeHtml, route, sendHtml, sendJson, type RequestContext, type Route } from "../http/server";
import { CONSUMERS_TENANT_ID } from "../fixtures";
import type { IdentityDeps } from "./deps";
import { aad } from "./errors";
import { ESTS_HEADERS, sendTokenError } from "./respond";
import { resolveTenantSegment, type TenantSegment } from "./tenant-segment";
import { takeGenericFault } from "./generic-faults";

function tenantPathPart(seg: TenantSegment): string {
  if (seg.kind === "tenant") return seg.tenant.id;
  return seg.kind === "consumers" ? CONSUMERS_TENANT_ID : seg.kind;
}

function issuerTenant(seg: TenantSegment): string {
  if (seg.kind === "tenant") return seg.tenant.id;
  if (seg.kind === "consumers") return CONSUMERS_TENANT_ID;
  return "{tenantid}";
}

export function openIdConfiguration(deps: IdentityDeps, seg: TenantSegment): Record<string, unknown> {
  const base = deps.baseUrl();
  const t = tenantPathPart(seg);
  const graphHost = new URL(deps.graphBaseUrl()).host;
  return {
    token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/${issuerTenant(seg)}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${deps.graphBaseUrl()}/oidc/userinfo`,
    authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
    kerberos_endpoint: `${base}/${t}/kerberos`,
    tenant_region_scope: seg.kind === "tenant" ? "EU" : null,
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: graphHost,
    rbac_url: "https://pas.windows.net",
  };
}

async function discovery(deps: IdentityDeps, ctx: RequestContext, match: RegExpExecArray): Promise<void> {
  ctx.record.endpoint = "discovery";
  const seg = resolveTenantSegment(deps.directory, decodeURIComponent(match[1]!));
  if (await takeGenericFault(deps, ctx, { endpoint: "discovery", ...(seg.kind === "tenant" ? { tenant: { id: seg.tenant.id, domains: seg.tenant.domains } } : {}) })) return;
  if (seg.kind === "unknown") {
    sendTokenError(ctx, aad.tenantNotFound(seg.segment, "invalid_tenant"), deps.baseUrl());
    return;
  }
  ctx.record.tenant = seg.kind === "tenant" ? seg.tenant.id : seg.kind;
  sendJson(ctx, 200, openIdConfiguration(deps, seg), { ...ESTS_HEADERS, "Access-Control-Allow-Origin": "*" });
}

async function keys(deps: IdentityDeps, ctx: RequestContext, match: RegExpExecArray): Promise<void> {
  ctx.record.endpoint = "jwks";
  const seg = resolveTenantSegment(deps.directory, decodeURIComponent(match[1]!));
  if (seg.kind === "unknown") {
    sendTokenError(ctx, aad.tenantNotFound(seg.segment, "invalid_tenant"), deps.baseUrl());
    return;
  }
  const issuer = `${deps.baseUrl()}/${issuerTenant(seg)}/v2.0`;
  sendJson(ctx, 200, { keys: [{ ...deps.signingKey.jwk, issuer }] }, { ...ESTS_HEADERS, "Access-Control-Allow-Origin": "*" });
}

async function instanceDiscovery(deps: IdentityDeps, ctx: RequestContext): Promise<void> {
  ctx.record.endpoint = "instance-discovery";
  const host = new URL(deps.baseUrl()).host;
  sendJson(ctx, 200, {
    tenant_discovery_endpoint: `${deps.baseUrl()}/common/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

async function errorLookup(ctx: RequestContext): Promise<void> {
  const code = ctx.url.searchParams.get("code") ?? "";
  sendHtml(ctx, 200, `<!DOCTYPE html><html><head><title>Error lookup</title></head><body><h1>AADSTS${escapeHtml(code)}</h1><p>See reference §6 of the project's Microsoft 365 reference for this code.</p></body></html>`);
}

export function discoveryRoutes(deps: IdentityDeps): Route[] {
  return [
    route("GET", /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/, (ctx, m) => discovery(deps, ctx, m)),
    route("GET", /^\/([^/]+)\/discovery\/v2\.0\/keys$/, (ctx, m) => keys(deps, ctx, m)),
    route("GET", /^\/([^/]+)\/discovery\/keys$/, (ctx, m) => keys(deps, ctx, m)),
    route("GET", /^\/common\/discovery\/instance$/, (ctx) => instanceDiscovery(deps, ctx)),
    route("GET", /^\/error$/, (ctx) => errorLookup(ctx)),
  ];
}
