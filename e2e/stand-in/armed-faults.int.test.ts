// Every fault the control API can arm produces Microsoft's documented response (reference §6),
// checked field by field: error, error_description "AADSTSnnnn: ...", error_codes, timestamp,
// trace_id, correlation_id, error_uri, HTTP status; authorize redirects carry error,
// error_description and state only.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "./start-stand-in";
import { driveAuthorize, AuthorizeFlowError } from "./test-support/authorize-driver";
import { expectAuthorizeError, expectTokenError } from "./test-support/aad-assertions";
import { authorizeUrl, signInTokens, tokenRequest, type TokenSet } from "./test-support/raw-oauth";
import { contoso, daemonApp, portalApp, relayApp, REDIRECT_URI, user } from "./test-support/fixture-ids";

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
const portalSecret = portalApp.secrets[0]!.value;

function signIn(upn: string): Promise<TokenSet> {
  return signInTokens(standIn, { tenant: "organizations", clientId: portalApp.clientId, clientSecret: portalSecret, scopes: [IMAP, "openid", "profile", "offline_access"], redirectUri: REDIRECT_URI }, upn);
}

function refresh(rt: string, init: { timeoutMs?: number } = {}): Promise<Response> {
  return tokenRequest(standIn, "organizations", { grant_type: "refresh_token", client_id: portalApp.clientId, client_secret: portalSecret, refresh_token: rt, scope: `${IMAP} offline_access` }, init);
}

function clientCredentials(): Promise<Response> {
  return tokenRequest(standIn, contoso.id, { grant_type: "client_credentials", client_id: daemonApp.clientId, client_secret: daemonApp.secrets[0]!.value, scope: "https://outlook.office365.com/.default" });
}

describe("armed faults at the token endpoint", () => {
  it.each([
    { kind: "refresh_token_revoked", status: 400, error: "invalid_grant", code: 50173 },
    { kind: "refresh_token_inactive", status: 400, error: "invalid_grant", code: 700082, suberror: "bad_token" },
    { kind: "consent_required", status: 400, error: "invalid_grant", code: 65001, suberror: "consent_required" },
    { kind: "mfa_required", status: 400, error: "invalid_grant", code: 50076, suberror: "basic_action" },
    { kind: "conditional_access_blocked", status: 400, error: "interaction_required", code: 53003, suberror: "message_only" },
    { kind: "invalid_client_secret", status: 401, error: "invalid_client", code: 7000215 },
    { kind: "expired_client_secret", status: 401, error: "invalid_client", code: 7000222 },
    { kind: "app_not_in_tenant", status: 400, error: "unauthorized_client", code: 700016 },
    { kind: "single_tenant_on_common", status: 400, error: "invalid_request", code: 50194 },
    { kind: "redirect_uri_mismatch", status: 400, error: "invalid_request", code: 50011 },
    { kind: "server_error", status: 500, error: "server_error", code: 50000 },
  ] as const)("$kind → HTTP $status $error AADSTS$code, once", async ({ kind, ...expected }) => {
    const tokens = await signIn(user("adele").upn);
    await standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", user: "adele.vance@contoso.com", kind });
    await expectTokenError(await refresh(tokens.refresh_token!), expected);
    // Armed for one request only: the same refresh token works again.
    expect((await refresh(tokens.refresh_token!)).status).toBe(200);
  });

  it("throttled → 429 with Retry-After", async () => {
    await standIn.control.armFault({ endpoint: "token", grantType: "client_credentials", clientId: daemonApp.clientId, kind: "throttled", retryAfterSeconds: 7 });
    const res = await clientCredentials();
    expect(res.headers.get("retry-after")).toBe("7");
    await expectTokenError(res, { status: 429, error: "temporarily_unavailable", code: 50196 });
  });

  it("hang → no answer until the client gives up", async () => {
    await standIn.control.armFault({ endpoint: "token", kind: "hang" });
    const form = { grant_type: "client_credentials", client_id: daemonApp.clientId, client_secret: daemonApp.secrets[0]!.value, scope: "https://outlook.office365.com/.default" };
    const started = Date.now();
    await expect(tokenRequest(standIn, contoso.id, form, { timeoutMs: 400 })).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    const [hung] = (await standIn.control.requests({ endpoint: "token" })).requests;
    expect(hung?.status).toBeUndefined();
    expect(hung?.faultId).toBeTruthy();
    expect((await clientCredentials()).status).toBe(200);
  });

  it("matches by user, client, tenant and grant type; `times` counts down", async () => {
    const adele = await signIn(user("adele").upn);
    const megan = await signIn(user("megan").upn);
    await standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", user: user("megan").id, tenant: "contoso.com", clientId: portalApp.clientId, kind: "refresh_token_revoked", times: 2 });
    expect((await refresh(adele.refresh_token!)).status).toBe(200);
    expect((await clientCredentials()).status).toBe(200);
    await expectTokenError(await refresh(megan.refresh_token!), { status: 400, error: "invalid_grant", code: 50173 });
    await expectTokenError(await refresh(megan.refresh_token!), { status: 400, error: "invalid_grant", code: 50173 });
    expect((await refresh(megan.refresh_token!)).status).toBe(200);
    expect(await standIn.control.faults()).toEqual([]);
  });

  it("refuses to arm a fault that cannot happen at that endpoint", async () => {
    await expect(standIn.control.armFault({ endpoint: "graph", kind: "refresh_token_revoked" })).rejects.toThrow(/400/);
  });
});

describe("armed faults at /authorize", () => {
  const params = { tenant: contoso.id, clientId: portalApp.clientId, scopes: [IMAP, "openid"], redirectUri: REDIRECT_URI, state: "st-42" };

  it("consent_required → redirect with error, error_description and state only", async () => {
    await standIn.control.armFault({ endpoint: "authorize", clientId: portalApp.clientId, kind: "consent_required" });
    const outcome = await driveAuthorize(standIn.fetch, authorizeUrl(standIn, params), { user: "adele.vance@contoso.com" });
    expectAuthorizeError(outcome.params, { error: "consent_required", code: 65001, state: "st-42" });
    expect(outcome.redirectUri).toBe(REDIRECT_URI);
  });

  it("conditional_access_blocked aimed at a user hits after the account is picked", async () => {
    await standIn.control.armFault({ endpoint: "authorize", user: "megan.bowen@contoso.com", kind: "conditional_access_blocked" });
    const adele = await driveAuthorize(standIn.fetch, authorizeUrl(standIn, params), { user: "adele.vance@contoso.com" });
    expect(adele.params.error).toBeUndefined();
    const megan = await driveAuthorize(standIn.fetch, authorizeUrl(standIn, params), { user: "megan.bowen@contoso.com" });
    expectAuthorizeError(megan.params, { error: "access_denied", code: 53003, state: "st-42" });
  });

  it("redirect_uri_mismatch → Microsoft's error page, no redirect", async () => {
    await standIn.control.armFault({ endpoint: "authorize", kind: "redirect_uri_mismatch" });
    const res = await standIn.fetch(authorizeUrl(standIn, params));
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    const html = await res.text();
    expect(html).toContain("AADSTS50011: The redirect URI &#39;http://localhost:3000/oauth/callback&#39; specified in the request does not match");
    await expect(driveAuthorize(standIn.fetch, authorizeUrl(standIn, params), { user: "adele.vance@contoso.com" })).resolves.toBeTruthy();
  });

  it("single_tenant_on_common on the relay app → invalid_request AADSTS50194 redirect", async () => {
    await standIn.control.armFault({ endpoint: "authorize", clientId: relayApp.clientId, kind: "single_tenant_on_common" });
    const outcome = await driveAuthorize(standIn.fetch, authorizeUrl(standIn, { ...params, clientId: relayApp.clientId }), { user: "adele.vance@contoso.com" });
    expectAuthorizeError(outcome.params, { error: "invalid_request", code: 50194, state: "st-42" });
  });

  it("server_error → HTTP 500 error page", async () => {
    await standIn.control.armFault({ endpoint: "authorize", kind: "server_error" });
    await expect(driveAuthorize(standIn.fetch, authorizeUrl(standIn, params), { user: "adele.vance@contoso.com" })).rejects.toBeInstanceOf(AuthorizeFlowError);
  });
});

describe("request counting", () => {
  it("counts token requests by grant type and client", async () => {
    const tokens = await signIn(user("adele").upn);
    await refresh(tokens.refresh_token!);
    await refresh(tokens.refresh_token!);
    await clientCredentials();
    expect(await standIn.control.countRequests({ endpoint: "token", grantType: "refresh_token" })).toBe(2);
    expect(await standIn.control.countRequests({ endpoint: "token", grantType: "authorization_code" })).toBe(1);
    expect(await standIn.control.countRequests({ endpoint: "token", clientId: daemonApp.clientId })).toBe(1);
    expect(await standIn.control.countRequests({ endpoint: "token", user: "adele.vance@contoso.com" })).toBe(3);
  });
});
