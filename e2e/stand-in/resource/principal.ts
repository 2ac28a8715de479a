// Who an access token speaks for, as Graph and EWS see it: a signed-in user (delegated, `scp`)
// or an application's service principal (app-only, `roles`).
import type { JsonObject } from "../crypto/jwt";
import { decodeJwt, stringClaim } from "../crypto/jwt";
import type { Directory, ServicePrincipal, Tenant, User } from "../directory";
import type { IdentityState } from "../identity/state";

export type Principal =
  | { kind: "user"; tenant: Tenant; user: User; appId: string; scopes: Set<string> }
  | { kind: "app"; tenant: Tenant; servicePrincipal: ServicePrincipal; appId: string; roles: Set<string> };

export function principalFromClaims(directory: Directory, claims: JsonObject): Principal | undefined {
  const tenant = directory.tenantById(stringClaim(claims, "tid") ?? "");
  const oid = stringClaim(claims, "oid") ?? "";
  const appId = stringClaim(claims, "appid") ?? "";
  if (!tenant) return undefined;
  const scp = stringClaim(claims, "scp");
  if (scp !== undefined) {
    const user = directory.userById(tenant.id, oid);
    return user ? { kind: "user", tenant, user, appId, scopes: new Set(scp.split(" ").filter(Boolean)) } : undefined;
  }
  const sp = directory.servicePrincipalByObjectId(oid);
  if (!sp || sp.tenantId !== tenant.id) return undefined;
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  return { kind: "app", tenant, servicePrincipal: sp, appId, roles: new Set(roles) };
}

/** Identity hints of a token, valid or not, for fault matching and the request log. */
export function peekToken(state: IdentityState, token: string): { clientId?: string; oid?: string; upn?: string; tid?: string } {
  const claims = state.opaqueTokens.get(token)?.claims ?? decodeJwt(token)?.payload;
  if (!claims) return {};
  const out: { clientId?: string; oid?: string; upn?: string; tid?: string } = {};
  const appid = stringClaim(claims, "appid");
  const oid = stringClaim(claims, "oid");
  const upn = stringClaim(claims, "upn");
  const tid = stringClaim(claims, "tid");
  if (appid) out.clientId = appid;
  if (oid) out.oid = oid;
  if (upn) out.upn = upn;
  if (tid) out.tid = tid;
  return out;
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(.*)$/i.exec(header.trim());
  return m ? m[1]!.trim() : undefined;
}

/** The principal's identity as mailbox permission lists name it (UPN or service-principal object ID). */
export function permissionHolder(p: Principal): { upn?: string; objectId: string } {
  return p.kind === "user" ? { upn: p.user.upn, objectId: p.user.id } : { objectId: p.servicePrincipal.objectId };
}
