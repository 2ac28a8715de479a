// Graph and EWS accept the right tokens and refuse wrong-audience, expired and other-user tokens
// with Microsoft's error bodies (issue #3 item 5; reference §2, §4).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "./start-stand-in";
import { signInTokens, tokenRequest } from "./test-support/raw-oauth";
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

const GRAPH_SCOPES = ["https://graph.microsoft.com/User.Read", "https://graph.microsoft.com/Mail.Read", "https://graph.microsoft.com/Mail.Send"];
const EWS = "https://outlook.office365.com/EWS.AccessAsUser.All";
const IMAP = "https://outlook.office.com/IMAP.AccessAsUser.All";

async function delegated(upn: string, scopes: string[]): Promise<string> {
  const t = await signInTokens(standIn, { tenant: "organizations", clientId: portalApp.clientId, clientSecret: portalApp.secrets[0]!.value, scopes: [...scopes, "openid", "offline_access"], redirectUri: REDIRECT_URI }, upn);
  return t.access_token;
}

async function appToken(scope: string): Promise<string> {
  const res = await tokenRequest(standIn, contoso.id, { grant_type: "client_credentials", client_id: daemonApp.clientId, client_secret: daemonApp.secrets[0]!.value, scope });
  return ((await res.json()) as { access_token: string }).access_token;
}

function graph(path: string, token: string | undefined, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return standIn.fetch(`${standIn.urls.graph}${path}`, {
    method: init.method ?? "GET",
    headers: { ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

async function expectGraphError(res: Response, status: number, code: string, message?: string): Promise<void> {
  const body = (await res.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
  expect(res.status).toBe(status);
  expect(body.error.code).toBe(code);
  if (message) expect(body.error.message).toBe(message);
  expect(Object.keys(body.error.innerError).sort()).toEqual(["client-request-id", "date", "request-id"]);
  expect(body.error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  expect(res.headers.get("request-id")).toBe(body.error.innerError["request-id"]);
}

describe("Microsoft Graph", () => {
  it("/me and the inbox with a delegated Graph token", async () => {
    const token = await delegated("adele.vance@contoso.com", GRAPH_SCOPES);
    const me = (await (await graph("/v1.0/me", token)).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ id: user("adele").id, userPrincipalName: "adele.vance@contoso.com", mail: "adele.vance@contoso.com" });
    const inbox = (await (await graph("/v1.0/me/mailFolders/inbox", token)).json()) as Record<string, unknown>;
    expect(inbox).toMatchObject({ displayName: "Inbox", totalItemCount: 3, unreadItemCount: 2 });
    const messages = (await (await graph("/v1.0/users/adele.vance@contoso.com/mailFolders/Inbox/messages?$top=2", token)).json()) as { value: Array<{ subject: string }>; "@odata.nextLink"?: string };
    expect(messages.value).toHaveLength(2);
    expect(decodeURIComponent(messages["@odata.nextLink"] ?? "")).toContain("$skip=2");
  });

  it("sendMail stores the message for tests and delivers it to a fixture mailbox", async () => {
    const token = await delegated("adele.vance@contoso.com", GRAPH_SCOPES);
    const res = await graph("/v1.0/me/sendMail", token, { method: "POST", body: { message: { subject: "Hello Megan", body: { contentType: "Text", content: "Hi!" }, toRecipients: [{ emailAddress: { address: "megan.bowen@contoso.com" } }] } } });
    expect(res.status).toBe(202);
    expect(await standIn.control.graphSent("adele.vance@contoso.com")).toEqual([expect.objectContaining({ from: "adele.vance@contoso.com", to: ["megan.bowen@contoso.com"], subject: "Hello Megan", sentBy: "adele.vance@contoso.com" })]);
    const megan = await delegated("megan.bowen@contoso.com", GRAPH_SCOPES);
    const inbox = (await (await graph("/v1.0/me/mailFolders/inbox", megan)).json()) as { totalItemCount: number };
    expect(inbox.totalItemCount).toBe(3);
  });

  it("sendMail with a From the user may not send as → 403 ErrorSendAsDenied", async () => {
    const token = await delegated("megan.bowen@contoso.com", GRAPH_SCOPES);
    const res = await graph("/v1.0/me/sendMail", token, { method: "POST", body: { message: { subject: "x", toRecipients: [{ emailAddress: { address: "adele.vance@contoso.com" } }], from: { emailAddress: { address: "support@contoso.com" } } } } });
    await expectGraphError(res, 403, "ErrorSendAsDenied");
  });

  it("app-only Mail.Read reads any mailbox of its tenant; /me is refused", async () => {
    const token = await appToken("https://graph.microsoft.com/.default");
    expect((await graph("/v1.0/users/megan.bowen@contoso.com/mailFolders/inbox", token)).status).toBe(200);
    await expectGraphError(await graph("/v1.0/me", token), 400, "BadRequest", "/me request is only valid with delegated authentication flow.");
    await standIn.control.setAccessPolicy("contoso.com", daemonApp.clientId, ["adele.vance@contoso.com"]);
    await expectGraphError(await graph("/v1.0/users/megan.bowen@contoso.com/mailFolders/inbox", token), 403, "ErrorAccessDenied");
  });

  it("an Outlook token sent to Graph → 401 InvalidAuthenticationToken 'Invalid audience' (reference §2.1)", async () => {
    const token = await delegated("adele.vance@contoso.com", [IMAP]);
    const res = await graph("/v1.0/me", token);
    expect(res.headers.get("www-authenticate")).toContain('client_id="00000003-0000-0000-c000-000000000000"');
    await expectGraphError(res, 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
  });

  it("an expired token → 401 'Lifetime validation failed, the token is expired.'", async () => {
    const { access_token } = await standIn.control.mintToken({ kind: "delegated", user: "adele.vance@contoso.com", clientId: portalApp.clientId, scopes: GRAPH_SCOPES, expiresInSeconds: -60 });
    await expectGraphError(await graph("/v1.0/me", access_token), 401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
  });

  it("a missing, malformed or tampered token → 401", async () => {
    await expectGraphError(await graph("/v1.0/me", undefined), 401, "InvalidAuthenticationToken", "Access token is empty.");
    await expectGraphError(await graph("/v1.0/me", "garbage"), 401, "InvalidAuthenticationToken");
    const token = await delegated("adele.vance@contoso.com", GRAPH_SCOPES);
    const [h, p] = token.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), oid: user("megan").id })).toString("base64url")}.${token.split(".")[2]}`;
    await expectGraphError(await graph("/v1.0/me", forged), 401, "InvalidAuthenticationToken", "Access token validation failure.");
  });

  it("another user's token on Adele's mailbox → 403 ErrorAccessDenied; unknown users → 404", async () => {
    const megan = await delegated("megan.bowen@contoso.com", [...GRAPH_SCOPES, "https://graph.microsoft.com/Mail.Read.Shared"]);
    await expectGraphError(await graph("/v1.0/users/adele.vance@contoso.com/mailFolders/inbox", megan), 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    await expectGraphError(await graph("/v1.0/users/nobody@contoso.com/mailFolders/inbox", megan), 404, "ErrorInvalidUser");
    const app = await appToken("https://graph.microsoft.com/.default");
    await expectGraphError(await graph("/v1.0/users/nobody@contoso.com", app), 404, "Request_ResourceNotFound");
  });

  it("the shared mailbox: Adele (FullAccess + Mail.Read.Shared) reads it, Megan does not", async () => {
    const scopes = [...GRAPH_SCOPES, "https://graph.microsoft.com/Mail.Read.Shared"];
    const adele = await delegated("adele.vance@contoso.com", scopes);
    expect((await graph("/v1.0/users/support@contoso.com/mailFolders/inbox", adele)).status).toBe(200);
    const megan = await delegated("megan.bowen@contoso.com", scopes);
    await expectGraphError(await graph("/v1.0/users/support@contoso.com/mailFolders/inbox", megan), 403, "ErrorAccessDenied");
  });
});

const T = "http://schemas.microsoft.com/exchange/services/2006/types";
const M = "http://schemas.microsoft.com/exchange/services/2006/messages";

function getFolderXml(opts: { impersonate?: string; mailbox?: string } = {}): string {
  const header = opts.impersonate ? `<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>${opts.impersonate}</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>` : "";
  const mailbox = opts.mailbox ? `<t:Mailbox><t:EmailAddress>${opts.mailbox}</t:EmailAddress></t:Mailbox>` : "";
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="${T}" xmlns:m="${M}"><soap:Header><t:RequestServerVersion Version="Exchange2016"/>${header}</soap:Header><soap:Body><m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id="inbox">${mailbox}</t:DistinguishedFolderId></m:FolderIds></m:GetFolder></soap:Body></soap:Envelope>`;
}

function ews(token: string | undefined, xml: string, anchor?: string): Promise<Response> {
  return standIn.fetch(standIn.urls.ews, {
    method: "POST",
    headers: { "Content-Type": "text/xml; charset=utf-8", ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(anchor ? { "X-AnchorMailbox": anchor } : {}) },
    body: xml,
  });
}

const tag = (xml: string, name: string): string | undefined => new RegExp(`<(?:\\w+:)?${name}[^>]*>([^<]*)<`).exec(xml)?.[1];

describe("EWS GetFolder", () => {
  it("delegated EWS.AccessAsUser.All token: inbox counts from the mailbox", async () => {
    const token = await delegated("adele.vance@contoso.com", [EWS]);
    const res = await ews(token, getFolderXml(), "adele.vance@contoso.com");
    const xml = await res.text();
    expect(res.status).toBe(200);
    expect(xml).toContain('ResponseClass="Success"');
    expect([tag(xml, "DisplayName"), tag(xml, "TotalCount"), tag(xml, "UnreadCount")]).toEqual(["Inbox", "3", "2"]);
  });

  it("app-only full_access_as_app with ExchangeImpersonation and X-AnchorMailbox", async () => {
    const token = await appToken("https://outlook.office365.com/.default");
    const xml = await (await ews(token, getFolderXml({ impersonate: "support@contoso.com" }), "support@contoso.com")).text();
    expect([tag(xml, "TotalCount"), tag(xml, "UnreadCount")]).toEqual(["2", "2"]);
  });

  it("app-only without ExchangeImpersonation → SOAP fault ErrorInvalidExchangeImpersonationHeaderData", async () => {
    const token = await appToken("https://outlook.office365.com/.default");
    const res = await ews(token, getFolderXml(), "adele.vance@contoso.com");
    expect(res.status).toBe(500);
    const xml = await res.text();
    expect(tag(xml, "faultcode")).toBe("a:ErrorInvalidExchangeImpersonationHeaderData");
    expect(tag(xml, "faultstring")).toBe("ExchangeImpersonation SOAP header must be present for this type of OAuth token.");
  });

  it("without X-AnchorMailbox → refused; unknown mailbox → ErrorNonExistentMailbox", async () => {
    const token = await appToken("https://outlook.office365.com/.default");
    expect((await ews(token, getFolderXml({ impersonate: "adele.vance@contoso.com" }))).status).toBe(500);
    const xml = await (await ews(token, getFolderXml({ impersonate: "ghost@contoso.com" }), "adele.vance@contoso.com")).text();
    expect(tag(xml, "faultcode")).toBe("a:ErrorNonExistentMailbox");
    expect(xml).toContain('<t:Value Name="SmtpAddress">ghost@contoso.com</t:Value>');
  });

  it("an application access policy → ErrorImpersonateUserDenied", async () => {
    await standIn.control.setAccessPolicy(contoso.id, daemonApp.clientId, ["adele.vance@contoso.com"]);
    const token = await appToken("https://outlook.office365.com/.default");
    const xml = await (await ews(token, getFolderXml({ impersonate: "megan.bowen@contoso.com" }), "megan.bowen@contoso.com")).text();
    expect(tag(xml, "faultcode")).toBe("a:ErrorImpersonateUserDenied");
  });

  it("wrong audience, expired and permission-less tokens → 401 with x-ms-diagnostics", async () => {
    const graphToken = await delegated("adele.vance@contoso.com", GRAPH_SCOPES);
    const wrongAud = await ews(graphToken, getFolderXml(), "adele.vance@contoso.com");
    expect(wrongAud.status).toBe(401);
    expect(wrongAud.headers.get("x-ms-diagnostics")).toBe('2000003;reason="The audience claim value is invalid \'aud\'.";error_category="invalid_resource"');
    expect(wrongAud.headers.get("www-authenticate")).toContain('client_id="00000002-0000-0ff1-ce00-000000000000"');

    const { access_token: expired } = await standIn.control.mintToken({ kind: "delegated", user: "adele.vance@contoso.com", clientId: portalApp.clientId, scopes: [EWS], expiresInSeconds: -1 });
    const exp = await ews(expired, getFolderXml(), "adele.vance@contoso.com");
    expect(exp.status).toBe(401);
    expect(exp.headers.get("x-ms-diagnostics")).toMatch(/expired/);

    const imapOnly = await delegated("adele.vance@contoso.com", ["https://outlook.office365.com/IMAP.AccessAsUser.All"]);
    const noPerm = await ews(imapOnly, getFolderXml(), "adele.vance@contoso.com");
    expect(noPerm.headers.get("x-ms-diagnostics")).toMatch(/^2000008;/);
    expect((await ews(undefined, getFolderXml(), "adele.vance@contoso.com")).status).toBe(401);
  });

  it("another user's mailbox: ErrorAccessDenied for Megan, the shared mailbox works for its delegate Adele", async () => {
    const megan = await delegated("megan.bowen@contoso.com", [EWS]);
    const denied = await (await ews(megan, getFolderXml({ mailbox: "adele.vance@contoso.com" }), "adele.vance@contoso.com")).text();
    expect(denied).toContain('ResponseClass="Error"');
    expect(tag(denied, "ResponseCode")).toBe("ErrorAccessDenied");
    const adele = await delegated("adele.vance@contoso.com", [EWS]);
    const shared = await (await ews(adele, getFolderXml({ mailbox: "support@contoso.com" }), "support@contoso.com")).text();
    expect(shared).toContain('ResponseClass="Success"');
  });

  it("a delegated token with ExchangeImpersonation → must not exist for this type of OAuth token", async () => {
    const token = await delegated("adele.vance@contoso.com", [EWS]);
    const xml = await (await ews(token, getFolderXml({ impersonate: "megan.bowen@contoso.com" }), "megan.bowen@contoso.com")).text();
    expect(tag(xml, "faultstring")).toBe("ExchangeImpersonation SOAP header must not exist for this type of OAuth token.");
  });
});

describe("Graph and EWS faults", () => {
  it("throttled Graph → 429 with Retry-After; EWS → ErrorServerBusy with BackOffMilliseconds", async () => {
    const token = await appToken("https://graph.microsoft.com/.default");
    await standIn.control.armFault({ endpoint: "graph", kind: "throttled", retryAfterSeconds: 3 });
    const res = await graph("/v1.0/users/adele.vance@contoso.com/mailFolders/inbox", token);
    expect(res.headers.get("retry-after")).toBe("3");
    await expectGraphError(res, 429, "ApplicationThrottled");
    await standIn.control.armFault({ endpoint: "ews", kind: "throttled", retryAfterSeconds: 2 });
    const ewsToken = await appToken("https://outlook.office365.com/.default");
    const xml = await (await ews(ewsToken, getFolderXml({ impersonate: "adele.vance@contoso.com" }), "adele.vance@contoso.com")).text();
    expect(xml).toContain('<t:Value Name="BackOffMilliseconds">2000</t:Value>');
  });
});
