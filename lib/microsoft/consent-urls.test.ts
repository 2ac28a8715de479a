import { describe, expect, it } from "vitest";
import { clouds } from "@/lib/microsoft/clouds";
import { adminConsentScopeFor, buildAdminConsentUrl, buildAuthorizeUrl } from "@/lib/microsoft/consent-urls";
import { createPkcePair, pkceChallengeFor } from "@/lib/microsoft/pkce";
import { delegatedScopePlan } from "@/lib/microsoft/scopes";

const base = {
  endpoints: clouds.global,
  tenant: "organizations",
  clientId: "a6c42eea-f4c4-4984-be15-c0e72f4d0357",
  redirectUri: "https://portal.example.com/oauth/callback",
  state: "s-123",
  codeChallenge: pkceChallengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
};

describe("PKCE (reference §7)", () => {
  it("S256 of RFC 7636's example verifier", () => {
    expect(pkceChallengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
  it("fresh pairs: 43-character verifier and matching challenge", () => {
    const pair = createPkcePair();
    expect(pair.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pkceChallengeFor(pair.verifier)).toBe(pair.challenge);
    expect(createPkcePair().verifier).not.toBe(pair.verifier);
  });
});

describe("buildAuthorizeUrl (reference §7)", () => {
  it("code + PKCE S256 with every scope in one call, spaces as %20", () => {
    const scopes = delegatedScopePlan([{ direction: "inbound", protocol: "imap" }, { direction: "outbound", protocol: "smtp" }], clouds.global).consentScopes;
    const url = new URL(buildAuthorizeUrl({ ...base, scopes, loginHint: "adele.vance@contoso.com", responseMode: "form_post", prompt: "consent", nonce: "n-1" }));
    expect(url.origin + url.pathname).toBe("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: base.clientId,
      response_type: "code",
      redirect_uri: base.redirectUri,
      response_mode: "form_post",
      scope: "https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send openid profile email offline_access",
      state: "s-123",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
      nonce: "n-1",
      login_hint: "adele.vance@contoso.com",
      prompt: "consent",
    });
    expect(url.search).toContain("scope=https%3A%2F%2Foutlook.office.com%2FIMAP.AccessAsUser.All%20https");
    expect(url.search).not.toContain("+");
  });

  it("leaves out what was not given", () => {
    const url = new URL(buildAuthorizeUrl({ ...base, scopes: ["openid"] }));
    expect([...url.searchParams.keys()]).toEqual(["client_id", "response_type", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"]);
  });

  it("refuses select_account with login_hint, a plain challenge, no scopes, a relative redirect URI", () => {
    expect(() => buildAuthorizeUrl({ ...base, scopes: ["openid"], prompt: "select_account", loginHint: "a@b.c" })).toThrow(/select_account/);
    expect(() => buildAuthorizeUrl({ ...base, scopes: ["openid"], codeChallenge: "plain" })).toThrow(/challenge/);
    expect(() => buildAuthorizeUrl({ ...base, scopes: [] })).toThrow(/scope/);
    expect(() => buildAuthorizeUrl({ ...base, scopes: ["openid"], redirectUri: "/oauth/callback" })).toThrow(/absolute/);
  });
});

describe("buildAdminConsentUrl (reference §7)", () => {
  it("the v2.0 endpoint of the customer's tenant", () => {
    const url = buildAdminConsentUrl({
      endpoints: clouds.global,
      tenant: "fabrikam.com",
      clientId: "b19bba8f-95da-41c2-9167-474dca5f0c0c",
      redirectUri: "https://portal.example.com/oauth/admin-consent",
      scope: adminConsentScopeFor([{ direction: "inbound", protocol: "imap" }], clouds.global),
      state: "x y",
    });
    expect(url).toBe(
      "https://login.microsoftonline.com/fabrikam.com/v2.0/adminconsent?client_id=b19bba8f-95da-41c2-9167-474dca5f0c0c&scope=https%3A%2F%2Foutlook.office365.com%2F.default&redirect_uri=https%3A%2F%2Fportal.example.com%2Foauth%2Fadmin-consent&state=x%20y",
    );
  });

  it("Graph-only apps consent through Graph's .default; common and consumers are refused", () => {
    expect(adminConsentScopeFor([{ direction: "outbound", protocol: "graph" }], clouds.global)).toBe("https://graph.microsoft.com/.default");
    const input = { endpoints: clouds.global, clientId: "c", redirectUri: "https://p.example/cb", scope: "https://graph.microsoft.com/.default", state: "s" };
    expect(() => buildAdminConsentUrl({ ...input, tenant: "common" })).toThrow(/tenant/);
    expect(buildAdminConsentUrl({ ...input, tenant: "organizations" })).toMatch(/^https:\/\/login\.microsoftonline\.com\/organizations\/v2\.0\/adminconsent\?/);
  });
});
