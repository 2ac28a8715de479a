import { describe, expect, it } from "vitest";
import { permissionsFor, requiredPermissions } from "@/lib/microsoft/permissions";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("API permissions (reference §2.4)", () => {
  it("delegated IMAP + SMTP: OIDC scopes and the mail scopes, all under Microsoft Graph", () => {
    const rows = permissionsFor([{ direction: "inbound", protocol: "imap" }, { direction: "outbound", protocol: "smtp" }], "delegated");
    expect(rows.map((r) => [r.api, r.permission, r.type, r.id])).toEqual([
      ["Microsoft Graph", "openid", "Delegated", "37f7f235-527c-4136-accd-4a02d197296e"],
      ["Microsoft Graph", "profile", "Delegated", "14dad69e-099b-42c9-810b-d002981feec1"],
      ["Microsoft Graph", "email", "Delegated", "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0"],
      ["Microsoft Graph", "offline_access", "Delegated", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182"],
      ["Microsoft Graph", "IMAP.AccessAsUser.All", "Delegated", "652390e4-393a-48de-9484-05f9b1212954"],
      ["Microsoft Graph", "SMTP.Send", "Delegated", "258f6531-6087-4cc4-bb90-092c5fb3ed3f"],
    ]);
    expect(rows[4]!.where).toMatch(/Microsoft Graph → Delegated permissions/);
    expect(rows.every((r) => !r.adminConsentRequired)).toBe(true);
  });

  it("app-only: Exchange roles under APIs my organization uses, Graph roles under Microsoft Graph", () => {
    const rows = permissionsFor(
      [
        { direction: "inbound", protocol: "imap" },
        { direction: "inbound", protocol: "pop3" },
        { direction: "outbound", protocol: "smtp" },
        { direction: "inbound", protocol: "ews" },
        { direction: "outbound", protocol: "graph" },
      ],
      "app_only",
    );
    expect(rows.map((r) => [r.api, r.permission, r.type, r.id])).toEqual([
      ["Office 365 Exchange Online", "IMAP.AccessAsApp", "Application", "5e5addcd-3e8d-4e90-baf5-964efab2b20a"],
      ["Office 365 Exchange Online", "POP.AccessAsApp", "Application", "cb842b43-da6e-4506-86fe-bb12199c656d"],
      ["Office 365 Exchange Online", "SMTP.SendAsApp", "Application", "7146a1f0-8703-45b3-9eae-527a64c00995"],
      ["Office 365 Exchange Online", "full_access_as_app", "Application", "dc890d15-9560-4a4c-9b7f-a736ec74ec40"],
      ["Microsoft Graph", "Mail.Send", "Application", "b633e1c5-b582-4048-a93e-9f11b44c7e96"],
    ]);
    expect(rows[0]!.where).toMatch(/APIs my organization uses → search “Office 365 Exchange Online”.* → Application permissions/);
    expect(rows.every((r) => r.adminConsentRequired)).toBe(true);
    expect(rows.find((r) => r.permission === "SMTP.SendAsApp")!.note).toMatch(/UNVERIFIED/);
    expect(rows.find((r) => r.permission === "full_access_as_app")!.idSource).toBe("X3");
  });

  it("EWS delegated sits under Office 365 Exchange Online (reference §2.4, [X3])", () => {
    const rows = permissionsFor([{ direction: "inbound", protocol: "ews" }], "delegated");
    expect(rows.at(-1)).toMatchObject({ api: "Office 365 Exchange Online", permission: "EWS.AccessAsUser.All", type: "Delegated", id: "3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5" });
  });

  it("merges mailboxes of both modes without duplicates and records what each row is for", () => {
    const rows = requiredPermissions([
      { mode: "delegated", uses: [{ direction: "inbound", protocol: "graph" }] },
      { mode: "delegated", uses: [{ direction: "inbound", protocol: "graph" }, { direction: "outbound", protocol: "graph" }], sharedMailbox: true },
      { mode: "app_only", uses: [{ direction: "inbound", protocol: "graph" }] },
    ]);
    const names = rows.map((r) => `${r.type}:${r.permission}`);
    expect(names).toEqual([
      "Delegated:openid",
      "Delegated:profile",
      "Delegated:email",
      "Delegated:offline_access",
      "Delegated:Mail.Read",
      "Delegated:Mail.Read.Shared",
      "Delegated:Mail.Send",
      "Delegated:Mail.Send.Shared",
      "Application:Mail.Read",
    ]);
    expect(rows.find((r) => r.permission === "Mail.Read" && r.type === "Delegated")!.neededFor).toEqual(["Microsoft Graph (read mail)"]);
    for (const r of rows) expect(r.id).toMatch(GUID);
  });

  it("RBAC for Applications: only IMAP/POP keep an Entra application permission (reference §4)", () => {
    const uses = [
      { direction: "inbound", protocol: "pop3" },
      { direction: "outbound", protocol: "smtp" },
      { direction: "inbound", protocol: "graph" },
      { direction: "inbound", protocol: "ews" },
    ] as const;
    expect(permissionsFor([...uses], "app_only", { rbacForApplications: true }).map((r) => r.permission)).toEqual(["POP.AccessAsApp"]);
  });

  it("no mailboxes, no permissions", () => {
    expect(requiredPermissions([])).toEqual([]);
  });
});
