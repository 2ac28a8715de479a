// acquireAppToken against the project's local Microsoft 365 stand-in (e2e/stand-in), reached only through the
// custom cloud: its hosts and its CA, as an admin would enter them. No other path special-cases the tests.
import tls from "node:tls";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { StandInClient } from "@/e2e/stand-in/start-stand-in";
import { standInForTests, type TestStandIn } from "@/e2e/stand-in/test-support/stand-in-for-tests";
import { acquireAppToken, type AcquireAppTokenInput } from "@/lib/microsoft/acquire-app-token";
import { endpointsOf, type CloudEndpoints } from "@/lib/microsoft/clouds";
import { checkTokenClaimsForProtocol } from "@/lib/microsoft/scopes";

let testStandIn: TestStandIn;
let standIn: StandInClient;
let endpoints: CloudEndpoints;

const fixtureApp = (key: string) => {
  const app = standIn.fixtures.apps.find((a) => a.key === key);
  if (!app) throw new Error(`fixture app ${key} missing`);
  return app;
};
const tenantId = (key: string) => standIn.fixtures.tenants.find((t) => t.key === key)!.id;

function daemonInput(overrides: Partial<AcquireAppTokenInput> = {}): AcquireAppTokenInput {
  const daemon = fixtureApp("daemon");
  return {
    endpoints,
    tenant: tenantId("contoso"),
    clientId: daemon.clientId,
    credential: { kind: "secret", secret: daemon.secrets[0]!.value },
    resource: endpoints.exchangeResource,
    trustedCaPem: standIn.caPem,
    timeoutMs: 10_000,
    ...overrides,
  };
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
    imapHost: standIn.mail ? `${standIn.mail.imap.host}:${standIn.mail.imap.port}` : "127.0.0.1",
    popHost: standIn.mail ? `${standIn.mail.pop3.host}:${standIn.mail.pop3.port}` : "127.0.0.1",
    smtpHost: standIn.mail ? `${standIn.mail.smtp.host}:${standIn.mail.smtp.port}` : "127.0.0.1",
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

describe("acquireAppToken: success", () => {
  it("client secret: an Exchange .default token with the app's roles and the service principal as oid", async () => {
    const result = await acquireAppToken(daemonInput());
    if (!result.ok) throw new Error(`${result.explanation.code}: ${result.explanation.microsoftMessage}`);
    const daemon = fixtureApp("daemon");
    expect(result.claims).toMatchObject({ aud: "https://outlook.office365.com", tid: tenantId("contoso"), appid: daemon.clientId, oid: daemon.servicePrincipals[0]!.objectId });
    expect(result.claims.roles).toEqual(expect.arrayContaining(["IMAP.AccessAsApp", "POP.AccessAsApp", "SMTP.SendAsApp", "full_access_as_app"]));
    expect(result.expiresOn!.getTime()).toBeGreaterThan(Date.now());
    for (const protocol of ["imap", "pop3", "smtp", "ews"] as const) {
      expect(checkTokenClaimsForProtocol({ aud: result.claims.aud, roles: result.claims.roles }, protocol, "app_only", endpoints).ok).toBe(true);
    }
    expect(await standIn.control.countRequests({ endpoint: "token", grantType: "client_credentials" })).toBe(1);
  });

  it("certificate (PS256, x5t#S256) with a domain tenant: a Graph token with Mail.Read and Mail.Send", async () => {
    const cert = standIn.appCertificates[fixtureApp("daemon").clientId]![0]!;
    const result = await acquireAppToken(daemonInput({ tenant: "contoso.com", credential: { kind: "certificate", certificatePem: cert.certPem, privateKeyPem: cert.keyPem }, resource: endpoints.graphResource }));
    if (!result.ok) throw new Error(`${result.explanation.code}: ${result.explanation.microsoftMessage}`);
    expect(result.claims.aud).toBe("https://graph.microsoft.com");
    expect(result.claims.roles).toEqual(expect.arrayContaining(["Mail.Read", "Mail.Send"]));
    expect(checkTokenClaimsForProtocol({ aud: result.claims.aud, roles: result.claims.roles }, "graph", "app_only", endpoints).ok).toBe(true);
  });

  it("certificate with its chain in x5c", async () => {
    const cert = standIn.appCertificates[fixtureApp("daemon").clientId]![0]!;
    const result = await acquireAppToken(daemonInput({ credential: { kind: "certificate", certificatePem: cert.certPem, privateKeyPem: cert.keyPem, sendCertificateChain: true } }));
    expect(result.ok).toBe(true);
  });
});

describe("acquireAppToken: failures explained from the catalog", () => {
  it("the Secret ID pasted instead of the Value: AADSTS7000215, and the secret appears nowhere in the result", async () => {
    const secretId = fixtureApp("daemon").secrets[0]!.id;
    const result = await acquireAppToken(daemonInput({ credential: { kind: "secret", secret: secretId } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.explanation).toMatchObject({ code: "AADSTS7000215", actor: "admin", permanent: true, grantState: "credential_invalid" });
    expect(result.explanation.fix).toMatch(/Value/);
    expect(result.explanation.traceId).toMatch(/\S/);
    expect(result.explanation.correlationId).toMatch(/\S/);
    expect(result.explanation.microsoftMessage).toMatch(/^AADSTS7000215: /);
    expect(JSON.stringify(result)).not.toContain(secretId);
  });

  it("an expired secret: AADSTS7000222", async () => {
    const relay = fixtureApp("relay");
    const expired = relay.secrets.find((s) => new Date(s.endDateTime).getTime() < Date.now())!;
    const result = await acquireAppToken(daemonInput({ clientId: relay.clientId, credential: { kind: "secret", secret: expired.value } }));
    expect(!result.ok && result.explanation).toMatchObject({ code: "AADSTS7000222", grantState: "credential_invalid" });
    expect(JSON.stringify(result)).not.toContain(expired.value);
  });

  it("the app has no service principal in the tenant (no admin consent there): AADSTS700016", async () => {
    const result = await acquireAppToken(daemonInput({ tenant: tenantId("fabrikam") }));
    expect(!result.ok && result.explanation).toMatchObject({ code: "AADSTS700016", grantState: "app_missing", actor: "admin" });
  });

  it("an unknown tenant: AADSTS90002", async () => {
    const result = await acquireAppToken(daemonInput({ tenant: "nobody.example.com" }));
    expect(!result.ok && result.explanation).toMatchObject({ code: "AADSTS90002", grantState: "app_missing" });
  });

  it("common, organizations and consumers name no tenant: refused before any request", async () => {
    await standIn.control.clearRequests();
    for (const tenant of ["common", "organizations", "consumers"]) {
      const result = await acquireAppToken(daemonInput({ tenant }));
      expect(!result.ok && result.explanation).toMatchObject({ code: "tenant_required", grantState: "app_missing", actor: "admin" });
    }
    expect(await standIn.control.countRequests({ endpoint: "token" })).toBe(0);
  });

  it("armed invalid secret and app-not-in-tenant faults", async () => {
    await standIn.control.armFault({ endpoint: "token", kind: "invalid_client_secret" });
    const secret = await acquireAppToken(daemonInput());
    expect(!secret.ok && secret.explanation.code).toBe("AADSTS7000215");
    await standIn.control.armFault({ endpoint: "token", kind: "app_not_in_tenant" });
    const app = await acquireAppToken(daemonInput());
    expect(!app.ok && app.explanation.code).toBe("AADSTS700016");
  });

  it("throttling and server errors are transient, with Retry-After", async () => {
    await standIn.control.armFault({ endpoint: "token", kind: "throttled", retryAfterSeconds: 9 });
    const throttled = await acquireAppToken(daemonInput());
    expect(!throttled.ok && throttled.explanation).toMatchObject({ permanent: false, actor: "retry", retryAfterSeconds: 9 });
    await standIn.control.armFault({ endpoint: "token", kind: "server_error" });
    const server = await acquireAppToken(daemonInput());
    expect(!server.ok && server.explanation).toMatchObject({ permanent: false, actor: "retry" });
  });

  it("no answer: a timeout", async () => {
    await standIn.control.armFault({ endpoint: "token", kind: "hang" });
    const result = await acquireAppToken(daemonInput({ timeoutMs: 1500 }));
    expect(!result.ok && result.explanation).toMatchObject({ code: "timeout", permanent: false });
  });

  it("a login host nobody listens on: connection refused; a name that does not resolve: DNS failure", async () => {
    const refused = await acquireAppToken(daemonInput({ endpoints: { ...endpoints, loginHost: "127.0.0.1:1" } }));
    expect(!refused.ok && refused.explanation.code).toBe("connection_refused");
    const dns = await acquireAppToken(daemonInput({ endpoints: { ...endpoints, loginHost: "login.stand-in.invalid" } }));
    expect(!dns.ok && dns.explanation.code).toBe("dns_failure");
  });

  it("a certificate that is not a certificate is refused before any request", async () => {
    await standIn.control.clearRequests();
    const result = await acquireAppToken(daemonInput({ credential: { kind: "certificate", certificatePem: "not a pem", privateKeyPem: "nope" } }));
    expect(!result.ok && result.explanation).toMatchObject({ code: "invalid_client", grantState: "credential_invalid" });
    expect(await standIn.control.countRequests({ endpoint: "token" })).toBe(0);
  });
});

describe("trust", () => {
  it("the custom cloud's CA is what makes the stand-in trusted: with another CA it is refused", async () => {
    const result = await acquireAppToken(daemonInput({ trustedCaPem: tls.rootCertificates[0]! }));
    expect(!result.ok && result.explanation).toMatchObject({ code: "tls_failure", permanent: true, actor: "portal_operator" });
  });

  it("without the custom cloud's CA the stand-in is not trusted (when this process was not started trusting it)", async (ctx) => {
    if (!testStandIn.owned) ctx.skip(); // a runner-started stand-in is in NODE_EXTRA_CA_CERTS, so the default trust store accepts it
    const result = await acquireAppToken(daemonInput({ trustedCaPem: null }));
    expect(!result.ok && result.explanation).toMatchObject({ code: "tls_failure", permanent: true });
  });
});
