import { describe, expect, it } from "vitest";
import { authorityUrl, identityEndpointUrls, isSpecificTenant, tenantKind } from "@/lib/microsoft/authority";
import { clouds } from "@/lib/microsoft/clouds";

describe("tenantKind (reference §1.2)", () => {
  it.each([
    ["b3922080-3ce0-4dbb-b906-e7d97973bbe4", "guid"],
    [" B3922080-3CE0-4DBB-B906-E7D97973BBE4 ", "guid"],
    ["contoso.onmicrosoft.com", "domain"],
    ["Contoso.com", "domain"],
    ["organizations", "organizations"],
    ["Common", "common"],
    ["consumers", "consumers"],
    ["9188040d-6c67-4c5b-b112-36a304b66dad", "consumers"],
    ["", "invalid"],
    ["contoso", "invalid"],
    ["b3922080-3ce0-4dbb-b906", "invalid"],
    ["contoso.com/../common", "invalid"],
    ["https://login.microsoftonline.com/contoso.com", "invalid"],
  ])("%s is %s", (value, kind) => {
    expect(tenantKind(value)).toBe(kind);
  });

  it("specific tenants are GUIDs and domains", () => {
    expect(isSpecificTenant("contoso.com")).toBe(true);
    expect(isSpecificTenant("organizations")).toBe(false);
  });
});

describe("authorities and endpoints (reference §1.1)", () => {
  it("global, per tenant: the URLs the portal's Endpoints pane shows", () => {
    expect(identityEndpointUrls(clouds.global, "b3922080-3ce0-4dbb-b906-e7d97973bbe4")).toEqual({
      authority: "https://login.microsoftonline.com/b3922080-3ce0-4dbb-b906-e7d97973bbe4",
      authorize: "https://login.microsoftonline.com/b3922080-3ce0-4dbb-b906-e7d97973bbe4/oauth2/v2.0/authorize",
      token: "https://login.microsoftonline.com/b3922080-3ce0-4dbb-b906-e7d97973bbe4/oauth2/v2.0/token",
      deviceCode: "https://login.microsoftonline.com/b3922080-3ce0-4dbb-b906-e7d97973bbe4/oauth2/v2.0/devicecode",
      logout: "https://login.microsoftonline.com/b3922080-3ce0-4dbb-b906-e7d97973bbe4/oauth2/v2.0/logout",
      adminConsent: "https://login.microsoftonline.com/b3922080-3ce0-4dbb-b906-e7d97973bbe4/v2.0/adminconsent",
      openIdConfiguration: "https://login.microsoftonline.com/b3922080-3ce0-4dbb-b906-e7d97973bbe4/v2.0/.well-known/openid-configuration",
      jwks: "https://login.microsoftonline.com/b3922080-3ce0-4dbb-b906-e7d97973bbe4/discovery/v2.0/keys",
    });
  });

  it("national clouds and custom hosts with a port", () => {
    expect(authorityUrl(clouds.china, "contoso.partner.onmschina.cn")).toBe("https://login.partner.microsoftonline.cn/contoso.partner.onmschina.cn");
    expect(authorityUrl(clouds["usgov-gcchigh"], "organizations")).toBe("https://login.microsoftonline.us/organizations");
    expect(authorityUrl({ ...clouds.global, loginHost: "127.0.0.1:40953" }, "Contoso.com")).toBe("https://127.0.0.1:40953/contoso.com");
  });

  it("refuses a tenant that is not one", () => {
    expect(() => authorityUrl(clouds.global, "contoso.com/oauth2?x=")).toThrow(/tenant/);
  });
});
