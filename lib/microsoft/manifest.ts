import type { PermissionRow } from "@/lib/microsoft/permissions";

// The app manifest's requiredResourceAccess (reference §2.4): one entry per resource application, each
// permission as {id, type} with type "Scope" (delegated) or "Role" (application). An admin pastes it into
// App registrations → your app → Manifest, inside the requiredResourceAccess brackets (as Agiloft's guide does).

export interface ResourceAccess {
  id: string;
  type: "Scope" | "Role";
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: ResourceAccess[];
}

/** Grouped by resourceAppId in the order the rows first name them; duplicates dropped. */
export function buildRequiredResourceAccess(rows: readonly PermissionRow[]): RequiredResourceAccess[] {
  const byApp = new Map<string, RequiredResourceAccess>();
  for (const row of rows) {
    const entry = byApp.get(row.apiAppId) ?? { resourceAppId: row.apiAppId, resourceAccess: [] };
    const access: ResourceAccess = { id: row.id, type: row.type === "Delegated" ? "Scope" : "Role" };
    if (!entry.resourceAccess.some((a) => a.id === access.id && a.type === access.type)) entry.resourceAccess.push(access);
    byApp.set(row.apiAppId, entry);
  }
  return [...byApp.values()];
}

/** The whole array, pretty-printed with four spaces like the Azure portal's manifest editor. */
export function formatRequiredResourceAccess(entries: readonly RequiredResourceAccess[]): string {
  return JSON.stringify(entries, null, 4);
}

/** `"requiredResourceAccess": [...]`, ready to replace the property in the manifest. */
export function formatRequiredResourceAccessProperty(entries: readonly RequiredResourceAccess[]): string {
  return `"requiredResourceAccess": ${formatRequiredResourceAccess(entries)}`;
}
