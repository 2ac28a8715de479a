// Admin consent (reference §7, E4) for the multi-tenant daemon in the second tenant: client
// credentials fail with AADSTS700016 until an admin consents; success and decline redirects
// carry exactly Microsoft's parameters.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "./start-stand-in";
import { driveAuthorize } from "./test-support/authorize-driver";
import { decodeJwtPayload, expectAuthorizeError, expectTokenError } from "./test-support/aad-assertions";
import { tokenRequest } from "./test-support/raw-oauth";
import { daemonApp, fabrikam } from "./test-support/fixture-ids";

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

const CONSENT_REDIRECT = "http://localhost:3000/oauth/admin-consent";

function adminConsentUrl(tenant: string, scope: string, state: string): string {
  const url = new URL(`${standIn.urls.authority(tenant)}/v2.0/adminconsent`);
  url.search = new URLSearchParams({ client_id: daemonApp.clientId, scope, redirect_uri: CONSENT_REDIRECT, state }).toString();
  return url.toString();
}

const cc = (scope: string): Promise<Response> =>
  tokenRequest(standIn, fabrikam.id, { grant_type: "client_credentials", client_id: daemonApp.clientId, client_secret: daemonApp.secrets[0]!.value, scope });

describe("admin consent", () => {
  it("before consent the app is not in the tenant; after it, client credentials carry the roles", async () => {
    await expectTokenError(await cc("https://outlook.office365.com/.default"), { status: 400, error: "unauthorized_client", code: 700016 });

    const outcome = await driveAuthorize(standIn.fetch, adminConsentUrl("organizations", "https://outlook.office365.com/.default", "ac-1"), { user: "diego.siciliani@fabrikam.com", consent: "accept" });
    expect(outcome.pages).toEqual(["picker", "consent"]);
    expect(outcome.redirectUri).toBe(CONSENT_REDIRECT);
    expect(outcome.params).toEqual({ admin_consent: "True", tenant: fabrikam.id, scope: "https://outlook.office365.com/.default", state: "ac-1" });

    const res = await cc("https://outlook.office365.com/.default");
    expect(res.status).toBe(200);
    const claims = decodeJwtPayload(((await res.json()) as { access_token: string }).access_token);
    expect(claims.tid).toBe(fabrikam.id);
    expect(claims.roles).toEqual(expect.arrayContaining(["IMAP.AccessAsApp", "full_access_as_app"]));
    // E4: /.default consents to every statically configured permission, Graph's too.
    const graph = decodeJwtPayload(((await (await cc("https://graph.microsoft.com/.default")).json()) as { access_token: string }).access_token);
    expect(graph.roles).toEqual(expect.arrayContaining(["Mail.Read", "Mail.Send"]));
  });

  it("only administrators are offered on the admin consent picker", async () => {
    const html = await (await standIn.fetch(adminConsentUrl(fabrikam.id, "https://graph.microsoft.com/.default", "x"))).text();
    expect(html).toContain('data-upn="diego.siciliani@fabrikam.com"');
    expect(html).not.toContain('data-upn="pradeep.gupta@fabrikam.com"');
  });

  it("a declined consent → admin_consent=True&error=consent_required&error_description=AADSTS65004…&state", async () => {
    const outcome = await driveAuthorize(standIn.fetch, adminConsentUrl(fabrikam.id, "https://graph.microsoft.com/.default", "ac-2"), { user: "diego.siciliani@fabrikam.com", consent: "cancel" });
    expectAuthorizeError(outcome.params, { error: "consent_required", code: 65004, state: "ac-2" }, ["admin_consent"]);
    expect(outcome.params.admin_consent).toBe("True");
    await expectTokenError(await cc("https://graph.microsoft.com/.default"), { status: 400, error: "unauthorized_client", code: 700016 });
  });
});
