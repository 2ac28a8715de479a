// @azure/msal-node against the stand-in: authorization code + PKCE (pages driven over HTTP),
// silent refresh after expiry, refresh to another resource, acquireTokenByRefreshToken, and
// client credentials with a secret and with certificates (PS256/x5t#S256 and RS256/x5t).
import { ConfidentialClientApplication, CryptoProvider, type Configuration } from "@azure/msal-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "./start-stand-in";
import { driveAuthorize } from "./test-support/authorize-driver";
import { decodeJwtPayload } from "./test-support/aad-assertions";
import { contoso, daemonApp, portalApp, REDIRECT_URI, user } from "./test-support/fixture-ids";

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

function msalConfig(clientId: string, authority: string, credential: Partial<Configuration["auth"]>): Configuration {
  return {
    auth: { clientId, authority, knownAuthorities: [standIn.hosts.identity], ...credential },
    system: { networkClient: standIn.msalNetworkClient() },
  };
}

const IMAP = "https://outlook.office.com/IMAP.AccessAsUser.All";
const SMTP = "https://outlook.office.com/SMTP.Send";
const GRAPH_MAIL = "https://graph.microsoft.com/Mail.Read";

async function signIn(cca: ConfidentialClientApplication, upn: string, scopes: string[], consentScopes: string[] = scopes) {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const state = "state-" + Math.random().toString(36).slice(2);
  const nonce = "nonce-" + Math.random().toString(36).slice(2);
  const url = await cca.getAuthCodeUrl({ scopes: consentScopes, redirectUri: REDIRECT_URI, codeChallenge: challenge, codeChallengeMethod: "S256", state, nonce, loginHint: upn });
  const outcome = await driveAuthorize(standIn.fetch, url, { user: upn, consent: "accept" });
  expect(outcome.params.state).toBe(state);
  const result = await cca.acquireTokenByCode(
    // MSAL 7's confidential client takes the expected nonce from the request, not the payload.
    { code: outcome.params.code!, scopes, redirectUri: REDIRECT_URI, codeVerifier: verifier, state, nonce },
    { code: outcome.params.code!, state },
  );
  return { result, outcome };
}

describe("authorization code + PKCE with MSAL", () => {
  it("signs Adele in, shows picker and consent, and returns an Outlook token with Microsoft's claims", async () => {
    const adele = user("adele");
    const cca = new ConfidentialClientApplication(msalConfig(portalApp.clientId, standIn.urls.authority("organizations"), { clientSecret: portalApp.secrets[0]!.value }));
    const { result, outcome } = await signIn(cca, adele.upn, [IMAP, SMTP, "email"], [IMAP, SMTP, GRAPH_MAIL, "email"]);
    expect(outcome.pages).toEqual(["picker", "consent"]);

    const at = decodeJwtPayload(result.accessToken);
    expect(at.aud).toBe("https://outlook.office.com");
    expect(at.iss).toBe(`https://sts.windows.net/${contoso.id}/`);
    expect(String(at.scp).split(" ")).toEqual(expect.arrayContaining(["IMAP.AccessAsUser.All", "SMTP.Send"]));
    expect(at.scp).not.toContain("Mail.Read");
    expect(at).toMatchObject({ tid: contoso.id, oid: adele.id, upn: adele.upn, appid: portalApp.clientId, ver: "1.0" });
    expect(result.idTokenClaims).toMatchObject({ tid: contoso.id, oid: adele.id, preferred_username: adele.upn, email: adele.mail, name: adele.displayName, ver: "2.0" });
    expect(result.account?.homeAccountId).toBe(`${adele.id}.${contoso.id}`);
    expect(result.account?.tenantId).toBe(contoso.id);
    expect(await standIn.verifyAccessToken(result.accessToken)).not.toBeNull();
  });

  it("does not show the consent page again once the user consented", async () => {
    const megan = user("megan");
    const cca = new ConfidentialClientApplication(msalConfig(portalApp.clientId, standIn.urls.authority(contoso.id), { clientSecret: portalApp.secrets[0]!.value }));
    expect((await signIn(cca, megan.upn, [IMAP])).outcome.pages).toEqual(["picker", "consent"]);
    expect((await signIn(cca, megan.upn, [IMAP])).outcome.pages).toEqual(["picker"]);
  });

  it("refreshes silently after expiry (exactly one refresh) and refreshes to another resource", async () => {
    const adele = user("adele");
    await standIn.control.updateSettings({ accessTokenLifetimeSeconds: 2 });
    const cca = new ConfidentialClientApplication(msalConfig(portalApp.clientId, standIn.urls.authority("organizations"), { clientSecret: portalApp.secrets[0]!.value }));
    const { result } = await signIn(cca, adele.upn, [IMAP, SMTP], [IMAP, SMTP, GRAPH_MAIL]);
    await new Promise((r) => setTimeout(r, 2100));
    await standIn.control.clearRequests();
    const silent = await cca.acquireTokenSilent({ account: result.account!, scopes: [IMAP, SMTP] });
    expect(silent.accessToken).not.toBe(result.accessToken);
    expect(decodeJwtPayload(silent.accessToken).aud).toBe("https://outlook.office.com");
    expect(await standIn.control.countRequests({ endpoint: "token", grantType: "refresh_token" })).toBe(1);

    // Reference §2.3: refresh tokens are bound to user + client, so the same RT yields a Graph token.
    const graph = await cca.acquireTokenSilent({ account: result.account!, scopes: [GRAPH_MAIL] });
    const claims = decodeJwtPayload(graph.accessToken);
    expect(claims.aud).toBe("https://graph.microsoft.com");
    expect(String(claims.scp).split(" ")).toContain("Mail.Read");
  });

  it("acquireTokenByRefreshToken returns a new token and a rotated refresh token", async () => {
    const adele = user("adele");
    const cca = new ConfidentialClientApplication(msalConfig(portalApp.clientId, standIn.urls.authority("organizations"), { clientSecret: portalApp.secrets[0]!.value }));
    await signIn(cca, adele.upn, [IMAP]);
    const cache = JSON.parse(cca.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const firstRt = Object.values(cache.RefreshToken)[0]!.secret;
    const refreshed = await cca.acquireTokenByRefreshToken({ refreshToken: firstRt, scopes: [IMAP] });
    expect(refreshed?.accessToken).toBeTruthy();
    const after = JSON.parse(cca.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    expect(Object.values(after.RefreshToken)[0]!.secret).not.toBe(firstRt);
  });
});

describe("client credentials with MSAL", () => {
  it("with a client secret: Exchange .default token with roles and the service principal as oid", async () => {
    const cca = new ConfidentialClientApplication(msalConfig(daemonApp.clientId, standIn.urls.authority(contoso.id), { clientSecret: daemonApp.secrets[0]!.value }));
    const result = await cca.acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"] });
    const claims = decodeJwtPayload(result!.accessToken);
    expect(claims).toMatchObject({ aud: "https://outlook.office365.com", tid: contoso.id, oid: daemonApp.servicePrincipals[0]!.objectId, appid: daemonApp.clientId, appidacr: "1", idtyp: "app" });
    expect(claims.roles).toEqual(expect.arrayContaining(["IMAP.AccessAsApp", "POP.AccessAsApp", "SMTP.SendAsApp", "full_access_as_app"]));
    expect(claims.scp).toBeUndefined();
  });

  it("with a certificate, PS256 and x5t#S256 (thumbprintSha256)", async () => {
    const cert = standIn.appCertificates[daemonApp.clientId]![0]!;
    const cca = new ConfidentialClientApplication(msalConfig(daemonApp.clientId, standIn.urls.authority("contoso.com"), { clientCertificate: { thumbprintSha256: cert.thumbprintSha256Hex, privateKey: cert.keyPem } }));
    const result = await cca.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
    const claims = decodeJwtPayload(result!.accessToken);
    expect(claims).toMatchObject({ aud: "https://graph.microsoft.com", appidacr: "2" });
    expect(claims.roles).toEqual(expect.arrayContaining(["Mail.Read", "Mail.Send"]));
  });

  it("with a certificate, RS256 and SHA-1 x5t (older guidance)", async () => {
    const cert = standIn.appCertificates[daemonApp.clientId]![0]!;
    const cca = new ConfidentialClientApplication(msalConfig(daemonApp.clientId, standIn.urls.authority(contoso.id), { clientCertificate: { thumbprint: cert.thumbprintSha1Hex, privateKey: cert.keyPem } }));
    const result = await cca.acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"] });
    expect(decodeJwtPayload(result!.accessToken).appidacr).toBe("2");
  });
});
