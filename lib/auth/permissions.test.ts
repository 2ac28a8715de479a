import { describe, expect, it } from "vitest";
import { can, navigation, permissionTable, type Permission } from "@/lib/auth/permissions";

describe("permission table", () => {
  it("gives admins every permission", () => {
    for (const p of Object.keys(permissionTable) as Permission[]) expect(can("admin", p)).toBe(true);
  });

  it("keeps support read-only: no secrets, users, keys, settings or edits", () => {
    const supportMay = (Object.keys(permissionTable) as Permission[]).filter((p) => can("support", p)).sort();
    expect(supportMay).toEqual(
      [
        "api_keys.read",
        "apps.read",
        "consent_links.copy",
        "dashboard.read",
        "health.run",
        "mailboxes.read",
        "tokens.read",
      ].sort(),
    );
    for (const p of supportMay) expect(p.endsWith(".write") || p.endsWith(".create") || p.endsWith(".disconnect")).toBe(false);
  });

  it("guards every navigation entry with a known permission", () => {
    for (const entry of navigation) expect(permissionTable[entry.permission]).toBeDefined();
    expect(navigation.filter((n) => can("support", n.permission)).map((n) => n.label)).toEqual([
      "Dashboard",
      "Mailboxes",
      "App registrations",
      "Token status",
      "API",
    ]);
  });
});
