// A client written from the OpenID Connect specs rather than Microsoft's SDK: openid-client 5
// (what next-auth's azure-ad provider runs on) discovers the tenant, validates the ID token
// against the JWKS (signature, iss, aud, nonce, exp), redeems the code without a scope
// parameter (as it does against Microsoft) and refreshes.
import { custom, generators, Issuer } from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "./start-stand-in";
import { driveAuthorize } from "./test-support/authorize-driver";
import { decodeJwtPayload } from "./test-support/aad-assertions";
import { contoso, portalApp, REDIRECT_URI, user } from "./test-support/fixture-ids";

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn({ mail: false });
  custom.setHttpOptionsDefaults({ ca: standIn.caPem });
});
afterAll(async () => {
  await standIn?.stop();
});

describe("openid-client against the stand-in", () => {
  it("discovery, code + PKCE with a validated ID token, refresh", async () => {
    const issuer = await Issuer.discover(`${standIn.urls.authority("contoso.com")}/v2.0`);
    expect(issuer.issuer).toBe(`${standIn.urls.identity}/${contoso.id}/v2.0`);
    const client = new issuer.Client({ client_id: portalApp.clientId, client_secret: portalApp.secrets[0]!.value, redirect_uris: [REDIRECT_URI], response_types: ["code"] });
    const verifier = generators.codeVerifier();
    const nonce = generators.nonce();
    const state = generators.state();
    const url = client.authorizationUrl({ scope: "openid profile email offline_access https://outlook.office.com/IMAP.AccessAsUser.All", code_challenge: generators.codeChallenge(verifier), code_challenge_method: "S256", nonce, state });
    const outcome = await driveAuthorize(standIn.fetch, url, { user: "adele.vance@contoso.com" });

    const tokens = await client.callback(REDIRECT_URI, outcome.params, { code_verifier: verifier, nonce, state });
    expect(tokens.claims()).toMatchObject({ tid: contoso.id, oid: user("adele").id, preferred_username: "adele.vance@contoso.com", nonce });
    expect(decodeJwtPayload(tokens.access_token!).aud).toBe("https://outlook.office.com");

    const refreshed = await client.refresh(tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(decodeJwtPayload(refreshed.access_token!).aud).toBe("https://outlook.office.com");
  });
});
