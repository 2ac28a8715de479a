import { describe, expect, it } from "vitest";
import { expectGolden } from "@/lib/microsoft/expect-golden";
import { buildRequiredResourceAccess, formatRequiredResourceAccess, formatRequiredResourceAccessProperty } from "@/lib/microsoft/manifest";
import { permissionsFor, requiredPermissions } from "@/lib/microsoft/permissions";

describe("requiredResourceAccess", () => {
  it("EWS app-only is exactly Agiloft's entry: full_access_as_app as a Role on Exchange Online", () => {
    const entries = buildRequiredResourceAccess(permissionsFor([{ direction: "inbound", protocol: "ews" }], "app_only"));
    expect(entries).toEqual([{ resourceAppId: "00000002-0000-0ff1-ce00-000000000000", resourceAccess: [{ id: "dc890d15-9560-4a4c-9b7f-a736ec74ec40", type: "Role" }] }]);
    expectGolden("manifest-ews-app-only.json", formatRequiredResourceAccess(entries) + "\n");
  });

  it("delegated IMAP + SMTP + Graph send, and app-only IMAP/POP/SMTP + Graph read: golden", () => {
    const rows = requiredPermissions([
      { mode: "delegated", uses: [{ direction: "inbound", protocol: "imap" }, { direction: "outbound", protocol: "smtp" }, { direction: "outbound", protocol: "graph" }] },
      { mode: "app_only", uses: [{ direction: "inbound", protocol: "imap" }, { direction: "inbound", protocol: "pop3" }, { direction: "outbound", protocol: "smtp" }, { direction: "inbound", protocol: "graph" }] },
    ]);
    const entries = buildRequiredResourceAccess(rows);
    expect(entries.map((e) => e.resourceAppId)).toEqual(["00000003-0000-0000-c000-000000000000", "00000002-0000-0ff1-ce00-000000000000"]);
    expectGolden("manifest-mixed.json", formatRequiredResourceAccessProperty(entries) + "\n");
  });

  it("drops duplicate rows and keeps Scope and Role of the same permission apart", () => {
    const read = permissionsFor([{ direction: "inbound", protocol: "graph" }], "delegated");
    const readApp = permissionsFor([{ direction: "inbound", protocol: "graph" }], "app_only");
    const entries = buildRequiredResourceAccess([...read, ...read, ...readApp]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.resourceAccess.filter((a) => a.id === "570282fd-fa5c-430d-a7fd-fc8dc98a9dca")).toEqual([{ id: "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", type: "Scope" }]);
    expect(entries[0]!.resourceAccess.at(-1)).toEqual({ id: "810c84a8-4a9e-49e6-bf7d-12d183f40d01", type: "Role" });
    expect(JSON.parse(formatRequiredResourceAccess(entries))).toEqual(entries);
  });
});
