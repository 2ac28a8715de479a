import { describe, expect, it } from "vitest";
import { redactServerResponse } from "./redact-server-response";
import { buildXoauth2InitialResponse } from "./xoauth2";

const jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

describe("redactServerResponse", () => {
  it("keeps ordinary server words", () => {
    expect(redactServerResponse("535 5.7.8 Error: authentication failed: 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.")).toBe(
      "535 5.7.8 Error: authentication failed: 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
    );
    expect(redactServerResponse("2 NO [AUTHENTICATIONFAILED] AUTHENTICATE failed.")).toBe("2 NO [AUTHENTICATIONFAILED] AUTHENTICATE failed.");
    expect(redactServerResponse("ErrorInvalidExchangeImpersonationHeaderData: ExchangeImpersonation SOAP header must be present")).toContain("ErrorInvalidExchangeImpersonationHeaderData");
  });

  it("removes the token, the XOAUTH2 blob, JWTs, bearer values and long base64 runs", () => {
    const blob = buildXoauth2InitialResponse("adele@contoso.com", jwt);
    const out = redactServerResponse(`C: AUTH XOAUTH2 ${blob} / ${jwt} / Authorization: Bearer abcdefghijklmnop / + ${Buffer.from('{"status":"401","schemes":"bearer","scope":"mail"}').toString("base64")}`, [jwt, blob]);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain(blob);
    expect(out).not.toContain("abcdefghijklmnop");
    expect(out).not.toContain("eyJzdGF0dXMi");
    expect(out).toContain("[token removed]");
  });

  it("removes an opaque token passed as a secret even when it does not look like one", () => {
    expect(redactServerResponse("echo: opaque-1234-token", ["opaque-1234-token"])).toBe("echo: [token removed]");
  });

  it("drops control characters and caps the length", () => {
    expect(redactServerResponse("a\x01b\x00c")).toBe("a b c");
    expect(redactServerResponse("x ".repeat(2000)).length).toBeLessThanOrEqual(1001);
  });
});
