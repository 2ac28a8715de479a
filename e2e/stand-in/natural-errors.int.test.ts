// Errors the stand-in produces on its own, the way Microsoft does (reference §1.2, §2, §5, §6,
// §7): wrong/expired secrets, unknown client or tenant, unregistered redirect URI, single-tenant
// app on /common, code reuse, PKCE, mixed resources, client-credentials scopes, revocation,
// rotated refresh tokens, declined consent, prompt=none, personal accounts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "./start-stand-in";
import { driveAuthorize } from "./test-support/authorize-driver";
import { decodeJwtPayload, expectAuthorizeError, expectTokenError } from "./test-support/aad-assertions";
import { authorize, authorizeUrl, signInTokens, tokenRequest } from "./test-support/raw-oauth";
import { consumers, contoso, daemonApp, personalApp, portalApp, relayApp, REDIRECT_URI } from "./test-support/fixture-ids";

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn({ mail: false });
});
afterAll(async () => {
  await standIn?.stop();
});
beforeEach(async () => {
  await standIn.control.reset();
});

const IMAP = "https://outlook.office.com/IMAP.AccessAsUser.All";
const GRAPH_MAIL = "https://graph.microsoft.com/Mail.Read";
const portalSecret = portalApp.secrets[0]!.value;
const daemonSecret = daemonApp.secrets[0]!.value;

const cc = (tenant: string, form: Partial<Record<string, string>> = {}): Promise<Response> =>
  tokenRequest(standIn, tenant, { grant_type: "client_credentials", client_id: daemonApp.clientId, client_secret: daemonSecret, scope: "https://outlook.office365.com/.default", ...form } as Record<string, string>);

describe("client and tenant", () => {
  it("a wrong secret → 401 invalid_client AADSTS7000215", async () => {
    await expectTokenError(await cc(contoso.id, { client_secret: "not-the-secret" }), { status: 401, error: "invalid_client", code: 7000215 });
  });

  it("the Secret ID instead of the value → AADSTS7000215 whose message says so", async () => {
    const body = await expectTokenError(await cc(contoso.id, { client_secret: daemonApp.secrets[0]!.id }), { status: 401, error: "invalid_client", code: 7000215 });
    expect(body.error_description).toContain("the client secret value, not the client secret ID");
  });

  it("an expired secret → AADSTS7000222", async () => {
    const expired = relayApp.secrets.find((s) => new Date(s.endDateTime) < new Date())!;
    const res = await tokenRequest(standIn, contoso.id, { grant_type: "client_credentials", client_id: relayApp.clientId, client_secret: expired.value, scope: "https://graph.microsoft.com/.default" });
    await expectTokenError(res, { status: 401, error: "invalid_client", code: 7000222 });
  });

  it("no credential at all → AADSTS7000218", async () => {
    await expectTokenError(await tokenRequest(standIn, contoso.id, { grant_type: "client_credentials", client_id: daemonApp.clientId, scope: "https://outlook.office365.com/.default" }), { status: 401, error: "invalid_client", code: 7000218 });
  });

  it("an unknown client_id → 400 unauthorized_client AADSTS700016", async () => {
    const body = await expectTokenError(await cc(contoso.id, { client_id: "11111111-2222-3333-4444-555555555555" }), { status: 400, error: "unauthorized_client", code: 700016 });
    expect(body.error_description).toContain("was not found in the directory 'Contoso'");
  });

  it("an unknown tenant → AADSTS90002 at the token endpoint and invalid_tenant at discovery", async () => {
    await expectTokenError(await cc("nowhere.example"), { status: 400, error: "invalid_request", code: 90002 });
    const res = await standIn.fetch(`${standIn.urls.identity}/nowhere.example/v2.0/.well-known/openid-configuration`);
    await expectTokenError(res, { status: 400, error: "invalid_tenant", code: 90002 });
  });

  it("the tenant is addressable by GUID and by each verified domain", async () => {
    for (const t of [contoso.id, ...contoso.domains]) expect((await cc(t)).status).toBe(200);
  });

  it("client credentials on /common → AADSTS9001023; scope without /.default → 1002012; two resources → 700022", async () => {
    await expectTokenError(await cc("common"), { status: 400, error: "invalid_request", code: 9001023 });
    await expectTokenError(await cc(contoso.id, { scope: "https://outlook.office365.com/IMAP.AccessAsApp" }), { status: 400, error: "invalid_scope", code: 1002012 });
    await expectTokenError(await cc(contoso.id, { scope: "https://outlook.office365.com/.default https://graph.microsoft.com/.default" }), { status: 400, error: "invalid_scope", code: 700022 });
  });

  it("GET on the token endpoint → AADSTS900561", async () => {
    await expectTokenError(await standIn.fetch(`${standIn.urls.authority(contoso.id)}/oauth2/v2.0/token`), { status: 400, error: "invalid_request", code: 900561 });
  });
});

describe("authorize", () => {
  const base = { tenant: contoso.id, clientId: portalApp.clientId, scopes: [IMAP, "openid", "offline_access"], redirectUri: REDIRECT_URI, state: "s1" };

  it("an unregistered redirect_uri → Microsoft's error page with AADSTS50011, no redirect", async () => {
    const res = await standIn.fetch(authorizeUrl(standIn, { ...base, redirectUri: "http://localhost:3000/elsewhere" }));
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toMatch(/data-code="AADSTS50011">AADSTS50011: The redirect URI &#39;http:\/\/localhost:3000\/elsewhere&#39; specified in the request does not match the redirect URIs configured for the application/);
  });

  it("a redirect URI added through the control API works", async () => {
    await standIn.control.addRedirectUri(portalApp.clientId, "http://localhost:4000/cb");
    const outcome = await authorize(standIn, { ...base, redirectUri: "http://localhost:4000/cb" }, { user: "adele.vance@contoso.com" });
    expect(outcome.redirectUri).toBe("http://localhost:4000/cb");
    expect(outcome.params.code).toBeTruthy();
  });

  it("a single-tenant app on /common → invalid_request AADSTS50194 (authorize redirect and token endpoint)", async () => {
    const outcome = await driveAuthorize(standIn.fetch, authorizeUrl(standIn, { ...base, tenant: "common", clientId: relayApp.clientId }));
    expectAuthorizeError(outcome.params, { error: "invalid_request", code: 50194, state: "s1" });
    const res = await tokenRequest(standIn, "common", { grant_type: "client_credentials", client_id: relayApp.clientId, client_secret: relayApp.secrets[0]!.value, scope: "https://graph.microsoft.com/.default" });
    await expectTokenError(res, { status: 400, error: "invalid_request", code: 50194 });
  });

  it("declining consent → access_denied AADSTS65004, only error/error_description/state", async () => {
    const outcome = await authorize(standIn, base, { user: "adele.vance@contoso.com", consent: "cancel" });
    expect(outcome.pages).toEqual(["picker", "consent"]);
    expectAuthorizeError(outcome.params, { error: "access_denied", code: 65004, state: "s1" });
  });

  it("prompt=none without a session → login_required AADSTS50058; with the session cookie → a code", async () => {
    const silent = await driveAuthorize(standIn.fetch, authorizeUrl(standIn, { ...base, prompt: "none" }));
    expectAuthorizeError(silent.params, { error: "login_required", code: 50058, state: "s1" });
    const first = await authorize(standIn, base, { user: "adele.vance@contoso.com" });
    const sso = await driveAuthorize(standIn.fetch, authorizeUrl(standIn, { ...base, prompt: "none" }), { cookie: first.cookie! });
    expect(sso.params.code).toBeTruthy();
    expect(sso.pages).toEqual([]);
  });

  it("response_mode=form_post and fragment deliver the code as asked", async () => {
    const post = await authorize(standIn, { ...base, responseMode: "form_post" }, { user: "adele.vance@contoso.com" });
    expect(post.params).toEqual({ code: expect.any(String), state: "s1", session_state: expect.any(String) });
    const frag = await authorize(standIn, { ...base, responseMode: "fragment" }, { user: "adele.vance@contoso.com" });
    expect(frag.params.code).toBeTruthy();
  });

  it("the picker lists only the tenant's users and highlights login_hint", async () => {
    const res = await standIn.fetch(authorizeUrl(standIn, { ...base, loginHint: "megan.bowen@contoso.com" }));
    const html = await res.text();
    expect(html).toContain('data-upn="adele.vance@contoso.com"');
    expect(html).not.toContain("diego.siciliani@fabrikam.com");
    expect(html).not.toContain('data-upn="support@contoso.com"');
    expect(html).toMatch(/class="account hinted" name="user" value="[^"]+" data-upn="megan.bowen@contoso.com" autofocus/);
  });
});

describe("codes, PKCE and scopes", () => {
  const params = { tenant: "organizations", clientId: portalApp.clientId, scopes: [IMAP, GRAPH_MAIL, "openid", "offline_access"], redirectUri: REDIRECT_URI };
  const redeem = (code: string, verifier: string | undefined, scope: string, extra: Record<string, string> = {}): Promise<Response> =>
    tokenRequest(standIn, "organizations", { grant_type: "authorization_code", client_id: portalApp.clientId, client_secret: portalSecret, code, redirect_uri: REDIRECT_URI, scope, ...(verifier ? { code_verifier: verifier } : {}), ...extra });

  it("a code is single use: AADSTS54005 on reuse", async () => {
    const o = await authorize(standIn, params, { user: "adele.vance@contoso.com" });
    expect((await redeem(o.params.code!, o.verifier, `${IMAP} offline_access`)).status).toBe(200);
    await expectTokenError(await redeem(o.params.code!, o.verifier, `${IMAP} offline_access`), { status: 400, error: "invalid_grant", code: 54005 });
  });

  it("PKCE: a missing verifier → 50148, a wrong one → 501481", async () => {
    const o = await authorize(standIn, params, { user: "adele.vance@contoso.com" });
    await expectTokenError(await redeem(o.params.code!, undefined, IMAP), { status: 400, error: "invalid_grant", code: 50148 });
    await expectTokenError(await redeem(o.params.code!, "x".repeat(43), IMAP), { status: 400, error: "invalid_grant", code: 501481 });
  });

  it("another redirect_uri than at /authorize → AADSTS500112", async () => {
    await standIn.control.addRedirectUri(portalApp.clientId, "http://localhost:4000/cb");
    const o = await authorize(standIn, params, { user: "adele.vance@contoso.com" });
    await expectTokenError(await redeem(o.params.code!, o.verifier, IMAP, { redirect_uri: "http://localhost:4000/cb" }), { status: 400, error: "invalid_grant", code: 500112 });
  });

  it("scopes of two resources in one token request → AADSTS700022 (reference §2.3)", async () => {
    const o = await authorize(standIn, params, { user: "adele.vance@contoso.com" });
    const body = await expectTokenError(await redeem(o.params.code!, o.verifier, `${IMAP} ${GRAPH_MAIL} offline_access`), { status: 400, error: "invalid_scope", code: 700022 });
    expect(body.error_description).toContain("contains more than one resource");
  });

  it("no scope parameter → the authorize scopes' first resource; an empty one → AADSTS28003", async () => {
    const o = await authorize(standIn, params, { user: "adele.vance@contoso.com" });
    const form = { grant_type: "authorization_code", client_id: portalApp.clientId, client_secret: portalSecret, code: o.params.code!, redirect_uri: REDIRECT_URI, code_verifier: o.verifier! };
    await expectTokenError(await tokenRequest(standIn, "organizations", { ...form, scope: "" }), { status: 400, error: "invalid_scope", code: 28003 });
    const res = await tokenRequest(standIn, "organizations", form);
    const body = (await res.json()) as { access_token: string; refresh_token?: string };
    expect(decodeJwtPayload(body.access_token).aud).toBe("https://outlook.office.com");
    expect(body.refresh_token).toBeTruthy();
  });

  it("a bare IMAP.AccessAsUser.All resolves to Graph (reference §2.1)", async () => {
    const o = await authorize(standIn, { ...params, scopes: ["IMAP.AccessAsUser.All", "offline_access"] }, { user: "adele.vance@contoso.com" });
    const res = await redeem(o.params.code!, o.verifier, "IMAP.AccessAsUser.All offline_access");
    const body = (await res.json()) as { access_token: string };
    expect(decodeJwtPayload(body.access_token).aud).toBe("https://graph.microsoft.com");
  });

  it("a scope the user never consented to → invalid_grant AADSTS65001 consent_required", async () => {
    const o = await authorize(standIn, { ...params, scopes: [IMAP, "offline_access"] }, { user: "adele.vance@contoso.com" });
    await expectTokenError(await redeem(o.params.code!, o.verifier, "https://outlook.office.com/POP.AccessAsUser.All"), { status: 400, error: "invalid_grant", code: 65001, suberror: "consent_required" });
  });
});

describe("refresh tokens", () => {
  const signIn = (upn: string) =>
    signInTokens(standIn, { tenant: "organizations", clientId: portalApp.clientId, clientSecret: portalSecret, scopes: [IMAP, "openid", "offline_access"], redirectUri: REDIRECT_URI }, upn);
  const refresh = (rt: string) => tokenRequest(standIn, "organizations", { grant_type: "refresh_token", client_id: portalApp.clientId, client_secret: portalSecret, refresh_token: rt, scope: `${IMAP} offline_access` });

  it("every refresh rotates; the old refresh token keeps working unless the switch says otherwise (reference §5)", async () => {
    const first = await signIn("adele.vance@contoso.com");
    const r1 = (await (await refresh(first.refresh_token!)).json()) as { refresh_token: string };
    expect(r1.refresh_token).not.toBe(first.refresh_token);
    expect((await refresh(first.refresh_token!)).status).toBe(200);
    await standIn.control.updateSettings({ revokeRotatedRefreshTokens: true });
    await expectTokenError(await refresh(first.refresh_token!), { status: 400, error: "invalid_grant", code: 70000 });
    const r2 = (await (await refresh(r1.refresh_token)).json()) as { refresh_token: string };
    expect((await refresh(r2.refresh_token)).status).toBe(200);
  });

  it("revoking a user's grants → AADSTS50173 for that user's refresh tokens only", async () => {
    const adele = await signIn("adele.vance@contoso.com");
    const megan = await signIn("megan.bowen@contoso.com");
    expect((await standIn.control.revokeUser("adele.vance@contoso.com", { clientId: portalApp.clientId })).revoked).toBe(1);
    await expectTokenError(await refresh(adele.refresh_token!), { status: 400, error: "invalid_grant", code: 50173 });
    expect((await refresh(megan.refresh_token!)).status).toBe(200);
  });

  it("a refresh token is bound to its client: another client → invalid_grant", async () => {
    const adele = await signIn("adele.vance@contoso.com");
    const res = await tokenRequest(standIn, "organizations", { grant_type: "refresh_token", client_id: personalApp.clientId, client_secret: personalApp.secrets[0]!.value, refresh_token: adele.refresh_token!, scope: IMAP });
    await expectTokenError(res, { status: 400, error: "invalid_grant", code: 70000 });
  });
});

describe("personal Microsoft accounts (reference §8)", () => {
  it("the personal app signs Sam in on /consumers and gets an opaque Outlook token", async () => {
    const tokens = await signInTokens(
      standIn,
      { tenant: "consumers", clientId: personalApp.clientId, clientSecret: personalApp.secrets[0]!.value, scopes: [IMAP, "openid", "profile", "offline_access"], redirectUri: REDIRECT_URI },
      "sam.taylor@outlook.com",
    );
    expect(tokens.access_token.split(".")).toHaveLength(1);
    const claims = await standIn.verifyAccessToken(tokens.access_token);
    expect(claims).toMatchObject({ aud: "https://outlook.office.com", tid: consumers.id, upn: "sam.taylor@outlook.com" });
    expect(decodeJwtPayload(tokens.id_token!).tid).toBe(consumers.id);
  });

  it("an app for Entra users only on /consumers → AADSTS9002332", async () => {
    const outcome = await driveAuthorize(standIn.fetch, authorizeUrl(standIn, { tenant: "consumers", clientId: portalApp.clientId, scopes: [IMAP], redirectUri: REDIRECT_URI, state: "x" }));
    expectAuthorizeError(outcome.params, { error: "invalid_request", code: 9002332, state: "x" });
  });
});
