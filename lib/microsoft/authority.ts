import type { CloudEndpoints } from "@/lib/microsoft/clouds";

// Authorities and the identity platform's endpoint URLs per cloud and tenant (reference §1.1, §1.2).

/** Reference §1.2: `consumers` is this tenant's alias. */
export const CONSUMERS_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";

export type TenantKind = "guid" | "domain" | "organizations" | "common" | "consumers" | "invalid";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A verified domain: two or more DNS labels, an alphabetic top-level label (contoso.com, contoso.onmicrosoft.com).
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The tenant segment as it goes into URLs: trimmed, lower case. */
export function normalizeTenant(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * What a tenant value is (reference §1.2). The consumers tenant's GUID counts as `consumers`: it behaves
 * exactly like the alias (personal accounts only, no client credentials).
 */
export function tenantKind(value: string): TenantKind {
  const v = normalizeTenant(value);
  if (v === "organizations" || v === "common" || v === "consumers") return v;
  if (v === CONSUMERS_TENANT_ID) return "consumers";
  if (GUID.test(v)) return "guid";
  if (DOMAIN.test(v)) return "domain";
  return "invalid";
}

/** A specific tenant (GUID or verified domain), as client credentials and admin consent need (reference §1.2). */
export function isSpecificTenant(value: string): boolean {
  const kind = tenantKind(value);
  return kind === "guid" || kind === "domain";
}

function tenantSegment(tenant: string): string {
  if (tenantKind(tenant) === "invalid") {
    throw new Error("The tenant must be a tenant ID (GUID), a verified domain, or organizations, common or consumers.");
  }
  return normalizeTenant(tenant);
}

/** https://{loginHost}/{tenant}: the authority MSAL takes. */
export function authorityUrl(endpoints: CloudEndpoints, tenant: string): string {
  return `https://${endpoints.loginHost}/${tenantSegment(tenant)}`;
}

export interface IdentityEndpointUrls {
  authority: string;
  authorize: string;
  token: string;
  deviceCode: string;
  logout: string;
  adminConsent: string;
  openIdConfiguration: string;
  jwks: string;
}

/** The same paths in every cloud, only the host changes (reference §1.1). What the portal's "Endpoints" pane shows. */
export function identityEndpointUrls(endpoints: CloudEndpoints, tenant: string): IdentityEndpointUrls {
  const authority = authorityUrl(endpoints, tenant);
  return {
    authority,
    authorize: `${authority}/oauth2/v2.0/authorize`,
    token: `${authority}/oauth2/v2.0/token`,
    deviceCode: `${authority}/oauth2/v2.0/devicecode`,
    logout: `${authority}/oauth2/v2.0/logout`,
    adminConsent: `${authority}/v2.0/adminconsent`,
    openIdConfiguration: `${authority}/v2.0/.well-known/openid-configuration`,
    jwks: `${authority}/discovery/v2.0/keys`,
  };
}
