import { describe, expect, it } from "vitest";
import { classifyProtocolError, errorCatalog, explainMicrosoftError, splitErrorDescription } from "@/lib/microsoft/aadsts-catalog";
import { aadstsEntries } from "@/lib/microsoft/identity-error-entries";

// Texts as Microsoft (and the stand-in, which copies them) send them.
const INVALID_SECRET =
  "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'b19bba8f-95da-41c2-9167-474dca5f0c0c'.\r\nTrace ID: 0c4c7e3e-1111-4b8e-9a4c-0f2c3a9b8a00\r\nCorrelation ID: 7b0a1e52-2222-4d27-8d5b-5e3f0c1d2e3f\r\nTimestamp: 2026-11-20 10:11:12Z";

describe("the catalog", () => {
  it("covers every code of reference §6's table", () => {
    const table = [50011, 500113, 50194, 90002, 700016, 50020, 65001, 65004, 90094, 90095, 90099, 650052, 500011, 650057, 7000215, 7000222, 7000218, 700025, 700024, 700027, 1002012, 70011, 700022, 9001023, 9002313, 50076, 50079, 53003, 70000, 70008, 700082, 50173, 70043];
    for (const code of table) expect(aadstsEntries[code], `AADSTS${code}`).toBeDefined();
  });

  it("every entry says what to do and who acts; permanent identity errors name a grant state; codes are unique", () => {
    for (const e of errorCatalog) {
      expect(e.title.length, e.code).toBeGreaterThan(3);
      expect(e.explanation.length, e.code).toBeGreaterThan(20);
      expect(e.fix.length, e.code).toBeGreaterThan(15);
      if (e.errorClass === "identity" && e.permanent) expect(e.grantState, e.code).toBeDefined();
      if (!e.permanent) expect(e.grantState, e.code).toBeUndefined();
    }
    const codes = errorCatalog.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe("explainMicrosoftError", () => {
  it("token endpoint JSON: the code from error_codes, IDs from the fields, Microsoft's text without trace lines", () => {
    const x = explainMicrosoftError({
      error: "invalid_client",
      error_description: INVALID_SECRET,
      error_codes: [7000215],
      trace_id: "trace-field",
      correlation_id: "corr-field",
      timestamp: "2026-11-20 10:11:12Z",
      status: 401,
    });
    expect(x).toMatchObject({ code: "AADSTS7000215", actor: "admin", permanent: true, grantState: "credential_invalid", traceId: "trace-field", correlationId: "corr-field", timestamp: "2026-11-20 10:11:12Z" });
    expect(x.fix).toMatch(/Value/);
    expect(x.microsoftMessage).toMatch(/^AADSTS7000215: Invalid client secret provided\./);
    expect(x.microsoftMessage).not.toMatch(/Trace ID|Correlation ID|Timestamp/);
  });

  it("authorize redirect: only error and error_description; the code and IDs come out of the description", () => {
    const x = explainMicrosoftError({ error: "invalid_request", error_description: INVALID_SECRET.replace("7000215", "50011") });
    expect(x).toMatchObject({ code: "AADSTS50011", traceId: "0c4c7e3e-1111-4b8e-9a4c-0f2c3a9b8a00", correlationId: "7b0a1e52-2222-4d27-8d5b-5e3f0c1d2e3f", timestamp: "2026-11-20 10:11:12Z" });
    expect(x.fix).toMatch(/redirect URI/);
  });

  it("refresh failures move the grant to the right state", () => {
    expect(explainMicrosoftError({ error: "invalid_grant", error_codes: [700082] })).toMatchObject({ actor: "mailbox_owner", grantState: "needs_consent", permanent: true });
    expect(explainMicrosoftError({ error: "invalid_grant", error_codes: [50173] }).grantState).toBe("needs_consent");
    expect(explainMicrosoftError({ error: "interaction_required", error_codes: [53003] })).toMatchObject({ actor: "admin", grantState: "blocked_by_policy" });
    expect(explainMicrosoftError({ error: "invalid_client", error_codes: [7000222] }).grantState).toBe("credential_invalid");
    expect(explainMicrosoftError({ error: "unauthorized_client", error_codes: [700016] }).grantState).toBe("app_missing");
  });

  it("an unknown code keeps its number with its error string's guidance", () => {
    const x = explainMicrosoftError({ error: "invalid_grant", error_codes: [123456] });
    expect(x).toMatchObject({ code: "AADSTS123456", title: "Sign-in no longer valid", grantState: "needs_consent" });
  });

  it("errors without a code, HTTP 429/5xx and network failures", () => {
    expect(explainMicrosoftError({ error: "consent_required" }).grantState).toBe("needs_consent");
    expect(explainMicrosoftError({ error: "temporarily_unavailable", status: 503 })).toMatchObject({ code: "http_5xx", permanent: false, actor: "retry" });
    expect(explainMicrosoftError({ status: 429, retryAfterSeconds: 7 })).toMatchObject({ code: "http_429", retryAfterSeconds: 7, permanent: false });
    expect(explainMicrosoftError({ error: "server_error", error_codes: [50000], status: 500 })).toMatchObject({ code: "AADSTS50000", permanent: false });
    expect(explainMicrosoftError({ networkCode: "ENOTFOUND" })).toMatchObject({ code: "dns_failure", permanent: false });
    expect(explainMicrosoftError({ networkCode: "ETIMEDOUT" }).code).toBe("timeout");
    expect(explainMicrosoftError({ networkCode: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" })).toMatchObject({ code: "tls_failure", permanent: true });
    expect(explainMicrosoftError({})).toMatchObject({ code: "unknown", permanent: false });
  });

  it("splits trace lines and redacts anything token-like", () => {
    expect(splitErrorDescription("AADSTS1: x.\nTrace ID: t\nCorrelation ID: c\nTimestamp: z")).toEqual({ message: "AADSTS1: x.", traceId: "t", correlationId: "c", timestamp: "z" });
    expect(splitErrorDescription(`bad ${"a".repeat(300)} end`).message).toBe("bad [redacted] end");
  });
});

describe("classifyProtocolError", () => {
  it("IMAP: AUTHENTICATE failed and 'authenticated but not connected'", () => {
    expect(classifyProtocolError("imap", { response: "A1 NO AUTHENTICATE failed.", mailbox: "support@contoso.com" })).toMatchObject({ code: "imap_authenticate_failed", errorClass: "authentication" });
    expect(classifyProtocolError("imap", { response: "A1 NO [AUTHENTICATIONFAILED] AUTHENTICATE failed." }).code).toBe("imap_authenticate_failed");
    const nc = classifyProtocolError("imap", { response: "A2 BAD User is authenticated but not connected.", mailbox: "support@contoso.com" });
    expect(nc).toMatchObject({ code: "imap_not_connected", errorClass: "mailbox_access" });
    expect(nc.fix).toContain("Add-MailboxPermission -Identity 'support@contoso.com'");
    expect(nc.fix).toMatch(/Enterprise application/);
  });

  it("POP3: Exchange's and Dovecot's framing", () => {
    expect(classifyProtocolError("pop3", { response: "-ERR Authentication failure: unknown user name or bad password." }).code).toBe("pop3_authentication_failure");
    expect(classifyProtocolError("pop3", { response: "-ERR [AUTH] Authentication failure: unknown user name or bad password." }).code).toBe("pop3_authentication_failure");
  });

  it("SMTP: matched on the enhanced code anywhere in the text (Exchange and Postfix framing)", () => {
    const exchange = classifyProtocolError("smtp", {
      response: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
      mailbox: "o'brien@contoso.com",
    });
    expect(exchange).toMatchObject({ code: "smtp_5.7.139_smtp_auth_disabled", errorClass: "protocol_disabled", actor: "admin" });
    expect(exchange.fix).toContain("Set-CASMailbox -Identity 'o''brien@contoso.com' -SmtpClientAuthenticationDisabled $false");
    expect(exchange.fix).toMatch(/Graph sendMail/);
    const postfix = classifyProtocolError("smtp", {
      response: "535 5.7.8 Error: authentication failed: 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
    });
    expect(postfix.code).toBe("smtp_5.7.139_smtp_auth_disabled");
    expect(postfix.fix).toContain("-Identity <mailbox>");
    expect(classifyProtocolError("smtp", { response: "535 5.7.8 Error: authentication failed: 5.7.139 Authentication unsuccessful, basic authentication is disabled." }).code).toBe("smtp_5.7.139_basic_auth_disabled");
    expect(classifyProtocolError("smtp", { response: "535 5.7.3 Authentication unsuccessful" }).code).toBe("smtp_5.7.3_auth_unsuccessful");
    expect(classifyProtocolError("smtp", { response: "535 5.7.8 Error: authentication failed: 5.7.3 Authentication unsuccessful" }).code).toBe("smtp_5.7.3_auth_unsuccessful");
    expect(classifyProtocolError("smtp", { response: "554 5.2.252 SendAsDenied; support@contoso.com not allowed to send as ceo@contoso.com" }).code).toBe("smtp_5.2.252_send_as_denied");
    expect(classifyProtocolError("smtp", { response: "550 5.7.30 Basic authentication is not supported for Client Submission." }).code).toBe("smtp_5.7.30");
    expect(classifyProtocolError("smtp", { response: "530 5.7.57 Client not authenticated to send mail." }).code).toBe("smtp_5.7.57");
    expect(classifyProtocolError("smtp", { response: "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded" })).toMatchObject({ code: "smtp_submission_quota", permanent: false });
    expect(classifyProtocolError("smtp", { response: "421 4.4.2 Connection dropped" })).toMatchObject({ code: "smtp_4xx", permanent: false });
  });

  it("Graph: audience, access denied vs access policy, send-as, not found; IDs from innerError", () => {
    const body = (code: string, message: string) => JSON.stringify({ error: { code, message, innerError: { date: "2026-11-20T10:11:12", "request-id": "req-1", "client-request-id": "cli-1" } } });
    const aud = classifyProtocolError("graph", { status: 401, body: body("InvalidAuthenticationToken", "Access token validation failure. Invalid audience.") });
    expect(aud).toMatchObject({ code: "graph_401_invalid_audience", errorClass: "wrong_audience", traceId: "req-1", correlationId: "cli-1", timestamp: "2026-11-20T10:11:12", microsoftMessage: "Access token validation failure. Invalid audience." });
    expect(classifyProtocolError("graph", { status: 401, body: body("InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.") })).toMatchObject({ code: "graph_401_token_expired", permanent: false });
    expect(classifyProtocolError("graph", { status: 403, body: body("ErrorAccessDenied", "Access is denied. Check credentials and try again.") }).code).toBe("graph_403_access_denied");
    expect(classifyProtocolError("graph", { status: 403, body: body("ErrorAccessDenied", "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.") }).code).toBe("graph_403_access_policy");
    expect(classifyProtocolError("graph", { status: 403, body: body("ErrorSendAsDenied", "…") }).code).toBe("graph_403_send_as_denied");
    expect(classifyProtocolError("graph", { status: 404, body: body("MailboxNotEnabledForRESTAPI", "…") }).code).toBe("graph_404_mailbox_not_enabled");
    expect(classifyProtocolError("graph", { status: 429, body: body("ApplicationThrottled", "…"), headers: { "retry-after": "12" } })).toMatchObject({ code: "http_429", retryAfterSeconds: 12 });
    expect(classifyProtocolError("graph", { status: 503, body: "<html>" })).toMatchObject({ code: "http_5xx", permanent: false });
  });

  it("EWS: SOAP response codes and 401 diagnostics", () => {
    const soap = (code: string) => `<s:Envelope><s:Body><m:GetFolderResponse><m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Error"><m:MessageText>x</m:MessageText><m:ResponseCode>${code}</m:ResponseCode></m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>`;
    expect(classifyProtocolError("ews", { status: 500, body: soap("ErrorImpersonateUserDenied") }).code).toBe("ews_impersonate_user_denied");
    expect(classifyProtocolError("ews", { status: 200, body: soap("ErrorNonExistentMailbox") }).code).toBe("ews_non_existent_mailbox");
    expect(classifyProtocolError("ews", { status: 500, body: `<s:Fault><faultcode>a:ErrorServerBusy</faultcode><t:BackOffMilliseconds>2500</t:BackOffMilliseconds></s:Fault>` })).toMatchObject({ code: "ews_server_busy", retryAfterSeconds: 3, permanent: false });
    expect(classifyProtocolError("ews", { status: 401, headers: { "x-ms-diagnostics": '2000003;reason="The audience claim value is invalid";error_category="invalid_resource"' } }).code).toBe("ews_401_invalid_audience");
    expect(classifyProtocolError("ews", { status: 401, headers: { "x-ms-diagnostics": '2000008;reason="The token does not contain the permission required"' } }).code).toBe("ews_401_no_permission");
    expect(classifyProtocolError("ews", { status: 401 }).code).toBe("ews_401");
  });

  it("network failures are the same for every protocol; an AADSTS text is an identity error", () => {
    expect(classifyProtocolError("imap", { code: "ECONNREFUSED" })).toMatchObject({ code: "connection_refused", permanent: false });
    expect(classifyProtocolError("smtp", { code: "ENOTFOUND" }).code).toBe("dns_failure");
    expect(classifyProtocolError("pop3", { code: "ETIMEDOUT" }).code).toBe("timeout");
    expect(classifyProtocolError("smtp", { code: "ERR_SSL_WRONG_VERSION_NUMBER" }).code).toBe("tls_failure");
    expect(classifyProtocolError("imap", { code: "CERT_HAS_EXPIRED" }).code).toBe("tls_failure");
    expect(classifyProtocolError("graph", { status: 400, body: JSON.stringify({ error: "invalid_grant", error_description: "AADSTS50173: The provided grant has expired." }) }).code).toBe("AADSTS50173");
    expect(classifyProtocolError("imap", { response: "* BYE something odd" })).toMatchObject({ code: "unknown", microsoftMessage: "* BYE something odd" });
  });
});
