// redeemAuthorizationCode / refreshWithRefreshToken against the local Microsoft 365 stand-in, reached only
// through a custom cloud (its hosts and CA, as an admin enters them). Codes come from the stand-in's real
// sign-in and consent pages, driven over HTTP.
import tls from "node:tls";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { StandInClient } from "@/e2e/stand-in/start-stand-in";
import { standInForTests, type TestStandIn } from "@/e2e/stand-in/test-support/stand-in-for-tests";
import { obtainAuthorizationCode } from "@/lib/grants/test-support/authorization-code";
import type { AppCredential } from "@/lib/microsoft/acquire-app-token";
import { endpointsOf, type CloudEndpoints } from "@/lib/microsoft/clouds";
import { redeemAuthorizationCode, refreshWithRefreshToken, type TokenRequestBase, type TokenResult, type TokenSuccess } from "@/lib/microsoft/token-endpoint";

let testStandIn: TestStandIn;
let standIn: StandInClient;
let endpoints: CloudEndpoints;

const IMAP = "https://outlook.office.com/IMAP.AccessAsUser.All";
const SMTP = "https://outlook.office.com/SMTP.Send";
const GRAPH_READ = "https://graph.microsoft.com/Mail.Read";
const OIDC = ["openid", "profile", "email", "offline_access"];
const ADELE = "adele.vance@contoso.com";

const app = (key: string) => standIn.fixtures.apps.find((a) => a.key === key)!;
const tenantId = (key: string) => standIn.fixtures.tenants.find((t) => t.key === key)!.id;

function base(overrides: Partial<TokenRequestBase> = {}): TokenRequestBase {
  const portal = app("portal");
  return {
    endpoints,
    tenant: "organizations",
    clientId: portal.clientId,
    credential: { kind: "secret", secret: portal.secrets[0]!.value },
    scopes: [IMAP, SMTP, ...OIDC],
    trustedCaPem: standIn.caPem,
    timeoutMs: 10_000,
    ...overrides,
  };
}

function ok(result: TokenResult): TokenSuccess {
  if (!result.ok) throw new Error(`${result.explanation.code}: ${result.explanation.microsoftMessage ?? result.explanation.title}`);
  return result;
}

async function signIn(overrides: Partial<TokenRequestBase> = {}, user = ADELE): Promise<{ result: TokenResult; nonce: string; code: string }> {
  const b = base(overrides);
  const obtained = await obtainAuthorizationCode(standIn, { tenant: b.tenant, clientId: b.clientId, scopes: [IMAP, SMTP, GRAPH_READ, ...OIDC], user });
  const result = await redeemAuthorizationCode({ ...b, code: obtained.code, codeVerifier: obtained.codeVerifier, redirectUri: obtained.redirectUri });
  return { result, nonce: obtained.nonce, code: obtained.code };
}

beforeAll(async () => {
  testStandIn = await standInForTests({ mail: false });
  standIn = testStandIn.standIn;
  endpoints = endpointsOf("custom", {
    loginHost: standIn.hosts.identity,
    graphHost: standIn.hosts.graph,
    outlookDelegatedResource: "https://outlook.office.com",
    exchangeResource: "https://outlook.office365.com",
    graphResource: "https://graph.microsoft.com",
    imapHost: "127.0.0.1:1",
    popHost: "127.0.0.1:1",
    smtpHost: "127.0.0.1:1",
    ewsUrl: standIn.urls.ews,
    trustedCaPem: standIn.caPem,
  });
});
afterAll(async () => {
  await testStandIn?.release();
});
beforeEach(async () => {
  await standIn.control.reset();
});

describe("redeemAuthorizationCode", () => {
  it("client secret: an Outlook token, a refresh token and the ID token's account, nonce included", async () => {
    const { result, nonce } = await signIn();
    const tokens = ok(result);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.expiresIn).toBeGreaterThan(0);
    expect(tokens.scope.split(" ")).toEqual(expect.arrayContaining(["https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send"]));
    expect(tokens.claims).toMatchObject({ aud: "https://outlook.office.com", tid: tenantId("contoso"), upn: ADELE, roles: [] });
    expect(tokens.claims.scp?.split(" ")).toEqual(expect.arrayContaining(["IMAP.AccessAsUser.All", "SMTP.Send"]));
    expect(tokens.claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(tokens.idClaims).toMatchObject({ tid: tenantId("contoso"), preferredUsername: ADELE, nonce, aud: app("portal").clientId });
    expect(tokens.idClaims?.oid).toBe(tokens.claims.oid);
  });

  it("certificate assertion (PS256, x5t#S256, aud = token URL) is accepted", async () => {
    const daemon = app("daemon");
    const cert = standIn.appCertificates[daemon.clientId]![0]!;
    const credential: AppCredential = { kind: "certificate", certificatePem: cert.certPem, privateKeyPem: cert.keyPem };
    const { result } = await signIn({ clientId: daemon.clientId, credential, tenant: tenantId("contoso") });
    const tokens = ok(result);
    expect(tokens.claims.aud).toBe("https://outlook.office.com");
    // The same assertion path works for a refresh.
    ok(await refreshWithRefreshToken({ ...base({ clientId: daemon.clientId, credential, tenant: tenantId("contoso") }), refreshToken: tokens.refreshToken! }));
  });

  it("a code redeemed twice: AADSTS54005, permanent, needs consent; nothing secret in the failure", async () => {
    const { code } = await signIn();
    const again = await redeemAuthorizationCode({ ...base(), code, codeVerifier: "x".repeat(43), redirectUri: "http://localhost:3000/oauth/callback" });
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.explanation).toMatchObject({ code: "AADSTS54005", permanent: true, grantState: "needs_consent" });
    expect(again.oauthError).toBe("invalid_grant");
    expect(again.explanation.traceId).toMatch(/^[0-9a-f-]{36}$/);
    const text = JSON.stringify(again);
    expect(text).not.toContain(code);
    expect(text).not.toContain(app("portal").secrets[0]!.value);
  });

  it("a wrong secret: AADSTS7000215, credential_invalid", async () => {
    const obtained = await obtainAuthorizationCode(standIn, { tenant: "organizations", clientId: app("portal").clientId, scopes: [IMAP, ...OIDC], user: ADELE });
    const secret = "wrong0Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    const result = await redeemAuthorizationCode({ ...base({ credential: { kind: "secret", secret } }), ...obtained });
    expect(!result.ok && result.explanation).toMatchObject({ code: "AADSTS7000215", permanent: true, grantState: "credential_invalid" });
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});

describe("refreshWithRefreshToken", () => {
  it("rotates the refresh token and gets a second resource's token from the same refresh token (reference §2.3)", async () => {
    const first = ok((await signIn()).result);
    const outlook = ok(await refreshWithRefreshToken({ ...base(), refreshToken: first.refreshToken! }));
    expect(outlook.refreshToken).toEqual(expect.any(String));
    expect(outlook.refreshToken).not.toBe(first.refreshToken);
    expect(outlook.claims.aud).toBe("https://outlook.office.com");
    const graph = ok(await refreshWithRefreshToken({ ...base({ scopes: [GRAPH_READ, ...OIDC] }), refreshToken: outlook.refreshToken! }));
    expect(graph.claims.aud).toBe("https://graph.microsoft.com");
    expect(graph.claims.scp).toContain("Mail.Read");
    // Microsoft does not revoke the rotated-away token (reference §5): the first one still works.
    ok(await refreshWithRefreshToken({ ...base(), refreshToken: first.refreshToken! }));
    expect(await standIn.control.countRequests({ endpoint: "token", grantType: "refresh_token" })).toBe(3);
  });

  it("revoked (50173) and idle (700082) grants are permanent and need consent", async () => {
    const tokens = ok((await signIn()).result);
    await standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "refresh_token_inactive" });
    const idle = await refreshWithRefreshToken({ ...base(), refreshToken: tokens.refreshToken! });
    expect(!idle.ok && idle.explanation).toMatchObject({ code: "AADSTS700082", permanent: true, grantState: "needs_consent", actor: "mailbox_owner" });
    await standIn.control.revokeUser(ADELE);
    const revoked = await refreshWithRefreshToken({ ...base(), refreshToken: tokens.refreshToken! });
    expect(!revoked.ok && revoked.explanation).toMatchObject({ code: "AADSTS50173", permanent: true, grantState: "needs_consent" });
    expect(JSON.stringify(revoked)).not.toContain(tokens.refreshToken!);
  });

  it("429 with Retry-After, 500 and a hang are transient", async () => {
    const tokens = ok((await signIn()).result);
    const refresh = (timeoutMs = 10_000) => refreshWithRefreshToken({ ...base({ timeoutMs }), refreshToken: tokens.refreshToken! });
    await standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "throttled", retryAfterSeconds: 7 });
    const throttled = await refresh();
    expect(!throttled.ok && throttled).toMatchObject({ status: 429, explanation: { permanent: false, retryAfterSeconds: 7 } });
    await standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "server_error" });
    const server = await refresh();
    expect(!server.ok && server).toMatchObject({ status: 500, explanation: { permanent: false, actor: "retry" } });
    await standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "hang" });
    const started = Date.now();
    const hang = await refresh(800);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(!hang.ok && hang.explanation).toMatchObject({ code: "timeout", permanent: false });
    ok(await refresh());
  });

  it("network failures are transient: refused, DNS, and TLS (a CA that does not sign the stand-in)", async () => {
    const refreshToken = "not-sent-anywhere";
    const refused = await refreshWithRefreshToken({ ...base({ endpoints: { ...endpoints, loginHost: "127.0.0.1:1" } }), refreshToken });
    expect(!refused.ok && refused.explanation).toMatchObject({ code: "connection_refused", permanent: false });
    const dns = await refreshWithRefreshToken({ ...base({ endpoints: { ...endpoints, loginHost: "login.stand-in.invalid" } }), refreshToken });
    expect(!dns.ok && dns.explanation).toMatchObject({ code: "dns_failure", permanent: false });
    const untrusted = await refreshWithRefreshToken({ ...base({ trustedCaPem: tls.rootCertificates[0]! }), refreshToken });
    expect(!untrusted.ok && untrusted.explanation).toMatchObject({ code: "tls_failure", permanent: false });
  });

  it("an unusable certificate or an invalid tenant is refused before any request", async () => {
    await standIn.control.clearRequests();
    const badCert = await refreshWithRefreshToken({ ...base({ credential: { kind: "certificate", certificatePem: "nope", privateKeyPem: "nope" } }), refreshToken: "x" });
    expect(!badCert.ok && badCert.explanation).toMatchObject({ code: "invalid_client", grantState: "credential_invalid" });
    const badTenant = await refreshWithRefreshToken({ ...base({ tenant: "not a tenant" }), refreshToken: "x" });
    expect(!badTenant.ok && badTenant.explanation).toMatchObject({ code: "AADSTS90002", grantState: "app_missing" });
    expect(await standIn.control.countRequests({ endpoint: "token" })).toBe(0);
  });
});
