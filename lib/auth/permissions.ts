import { z } from "zod";

// The one permission table. Every page, server action and route handler asks `can(role, permission)`
// on the server (through lib/auth/session.ts); hiding a button is never the control.

export const roleSchema = z.enum(["admin", "support"]);
export type Role = z.infer<typeof roleSchema>;

export const permissionTable = {
  "dashboard.read": ["admin", "support"],
  "mailboxes.read": ["admin", "support"],
  "mailboxes.write": ["admin"],
  "apps.read": ["admin", "support"],
  "apps.write": ["admin"],
  "tokens.read": ["admin", "support"],
  "health.run": ["admin", "support"],
  "consent_links.copy": ["admin", "support"],
  "consent_links.create": ["admin"],
  "grants.disconnect": ["admin"],
  "api_keys.read": ["admin", "support"],
  "api_keys.write": ["admin"],
  "audit.read": ["admin"],
  "users.read": ["admin"],
  "users.write": ["admin"],
  "settings.read": ["admin"],
  "settings.write": ["admin"],
  "notifications.write": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionTable;

export function can(role: Role, permission: Permission): boolean {
  return (permissionTable[permission] as readonly Role[]).includes(role);
}

/** What each page of the portal needs; the navigation and the page guards both read this. */
export const navigation = [
  { href: "/dashboard", label: "Dashboard", permission: "dashboard.read" },
  { href: "/mailboxes", label: "Mailboxes", permission: "mailboxes.read" },
  { href: "/app-registrations", label: "App registrations", permission: "apps.read" },
  { href: "/token-status", label: "Token status", permission: "tokens.read" },
  { href: "/api", label: "API", permission: "api_keys.read" },
  { href: "/audit", label: "Audit", permission: "audit.read" },
  { href: "/settings", label: "Settings", permission: "settings.read" },
] as const satisfies readonly { href: string; label: string; permission: Permission }[];
