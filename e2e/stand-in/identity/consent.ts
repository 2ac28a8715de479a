// Which delegated permissions a request needs, which the user (or an admin) already granted,
// and recording a grant. OIDC scopes are Graph permissions (reference §2.4 GUID table).
import type { Directory, RegisteredApp, User } from "../directory";
import { PERMISSION_DESCRIPTIONS, resourceByKey, type ResourceKey } from "./resources";
import { resolvePermission, type ScopeAnalysis } from "./scopes";
import type { ConsentItem } from "./login-pages";

export type PermissionSet = Map<ResourceKey, Set<string>>;

/** The app's statically configured permissions of one kind for one resource (what `.default` means). */
export function staticPermissions(app: RegisteredApp, kind: "delegated" | "application", resource: ResourceKey): string[] {
  const list = kind === "delegated" ? app.fixture.requiredResourceAccess.delegated : app.fixture.requiredResourceAccess.application;
  return list.map((s) => resolvePermission(s, kind)).filter((p) => p.resource === resource).map((p) => p.name);
}

export function requestedDelegated(app: RegisteredApp, analysis: ScopeAnalysis): PermissionSet {
  const out: PermissionSet = new Map();
  const add = (r: ResourceKey, names: string[]): void => {
    const set = out.get(r) ?? new Set<string>();
    for (const n of names) set.add(n);
    out.set(r, set);
  };
  if (analysis.oidc.length > 0) add("graph", analysis.oidc);
  for (const r of analysis.resources) {
    add(r.resource.key, r.names);
    if (r.hasDefault) add(r.resource.key, staticPermissions(app, "delegated", r.resource.key));
  }
  return out;
}

export function missingConsent(directory: Directory, user: User, app: RegisteredApp, requested: PermissionSet): PermissionSet {
  const missing: PermissionSet = new Map();
  for (const [resource, names] of requested) {
    const granted = directory.grantedScopes(user.tenantId, app.clientId, user.id, resource);
    const lacking = [...names].filter((n) => !granted.has(n));
    if (lacking.length > 0) missing.set(resource, new Set(lacking));
  }
  return missing;
}

export function isEmpty(set: PermissionSet): boolean {
  return [...set.values()].every((s) => s.size === 0);
}

export function grantUserConsent(directory: Directory, user: User, app: RegisteredApp, permissions: PermissionSet): void {
  // User consent in a tenant where the app has no enterprise application yet creates it.
  directory.ensureServicePrincipal(user.tenantId, app.clientId);
  for (const [resource, names] of permissions) directory.grantDelegated(user.tenantId, app.clientId, user.id, resource, [...names]);
}

export function consentItems(permissions: PermissionSet): ConsentItem[] {
  const items: ConsentItem[] = [];
  for (const [resource, names] of permissions) {
    for (const name of names) items.push({ name, description: PERMISSION_DESCRIPTIONS[name] ?? name, resource: resourceByKey(resource).displayName });
  }
  return items;
}
