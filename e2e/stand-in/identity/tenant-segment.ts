// The {tenant} path segment (reference §1.2): a tenant GUID or verified domain, or one of
// organizations / common / consumers (the consumers GUID counts as consumers).
import type { Directory, Tenant, User } from "../directory";
import type { RegisteredApp } from "../directory";

export type TenantSegment =
  | { kind: "tenant"; segment: string; tenant: Tenant }
  | { kind: "organizations" | "common" | "consumers"; segment: string }
  | { kind: "unknown"; segment: string };

export function resolveTenantSegment(directory: Directory, segment: string): TenantSegment {
  const s = segment.toLowerCase();
  if (s === "organizations" || s === "common" || s === "consumers") return { kind: s, segment };
  const tenant = directory.tenantByIdOrDomain(s);
  if (!tenant) return { kind: "unknown", segment };
  if (tenant.kind === "consumers") return { kind: "consumers", segment };
  return { kind: "tenant", segment, tenant };
}

export function isAlias(seg: TenantSegment): boolean {
  return seg.kind === "organizations" || seg.kind === "common" || seg.kind === "consumers";
}

export function allowsPersonalAccounts(app: RegisteredApp): boolean {
  return app.signInAudience === "AzureADandPersonalMicrosoftAccount";
}

/** Users who may sign in to this app through this authority (who the picker lists). */
export function eligibleUsers(directory: Directory, seg: TenantSegment, app: RegisteredApp): User[] {
  const orgUsers = (tenants: Tenant[]): User[] => tenants.flatMap((t) => directory.usersOf(t)).filter((u) => u.accountEnabled);
  const orgTenants = directory.tenants.filter((t) => t.kind === "organization");
  const msaUsers = orgUsers(directory.tenants.filter((t) => t.kind === "consumers"));
  const homeOnly = app.signInAudience === "AzureADMyOrg";
  switch (seg.kind) {
    case "tenant":
      return homeOnly && seg.tenant.id !== app.homeTenantId ? [] : orgUsers([seg.tenant]);
    case "organizations":
      return homeOnly ? [] : orgUsers(orgTenants);
    case "common":
      return homeOnly ? [] : [...orgUsers(orgTenants), ...(allowsPersonalAccounts(app) ? msaUsers : [])];
    case "consumers":
      return allowsPersonalAccounts(app) ? msaUsers : [];
    case "unknown":
      return [];
  }
}

/** Whether a code/refresh token for `user` may be redeemed through this authority. */
export function segmentAdmitsUser(seg: TenantSegment, user: { tenantId: string }, consumersTenantId: string): boolean {
  switch (seg.kind) {
    case "tenant":
      return seg.tenant.id === user.tenantId;
    case "organizations":
      return user.tenantId !== consumersTenantId;
    case "consumers":
      return user.tenantId === consumersTenantId;
    case "common":
      return true;
    case "unknown":
      return false;
  }
}
