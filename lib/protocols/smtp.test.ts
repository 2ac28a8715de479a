import { describe, expect, it } from "vitest";
import type { CheckInput } from "./protocol-check";
import { classifySmtpError } from "./smtp";

const input: CheckInput = { protocol: "smtp", direction: "outbound", mailbox: "adele.vance@contoso.com", accessToken: "opaque-token-value", authMode: "delegated", server: { host: "smtp.office365.com", port: 587, security: "starttls" } };
const auth = (response: string) => ({ code: "EAUTH", command: "AUTH XOAUTH2", response, responseCode: Number(response.slice(0, 3)) });

describe("classifySmtpError: matched on the text, wherever the server puts Exchange's code", () => {
  it("5.7.139 SMTP AUTH disabled, as Exchange and as the Postfix stand-in write it", () => {
    for (const response of [
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
      "535 5.7.8 Error: authentication failed: 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
    ]) {
      const f = classifySmtpError(auth(response), input, "auth");
      expect(f.errorClass).toBe("smtp_auth_disabled");
      expect(f.facts.code).toBe("5.7.139");
    }
  });

  it("5.7.139 for a password (basic auth): not SMTP AUTH disabled", () => {
    expect(classifySmtpError(auth("535 5.7.139 Authentication unsuccessful, basic authentication is disabled."), input, "auth").errorClass).toBe("auth_failed");
  });

  it("5.7.3: auth_failed (an opaque token cannot be diagnosed further)", () => {
    expect(classifySmtpError(auth("535 5.7.3 Authentication unsuccessful [SN4PR0601CA0002.namprd06.prod.outlook.com]"), input, "auth").errorClass).toBe("auth_failed");
  });

  it("5.2.252 at end of DATA: send_as_denied", () => {
    const f = classifySmtpError({ code: "EMESSAGE", command: "DATA", response: "554 5.2.252 SendAsDenied; adele.vance@contoso.com not allowed to send as support@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied", responseCode: 554 }, input, "operation");
    expect(f).toMatchObject({ errorClass: "send_as_denied", stage: "operation" });
  });

  it("4.7.500 server busy: throttled; socket errors by their code; missing STARTTLS: tls_failed", () => {
    expect(classifySmtpError({ code: "EENVELOPE", command: "MAIL FROM", response: "421 4.7.500 Server busy. Please try again later.", responseCode: 421 }, input, "operation").errorClass).toBe("throttled");
    expect(classifySmtpError({ code: "ESOCKET", originalCode: "ECONNREFUSED", message: "connect ECONNREFUSED" }, input, "connect").errorClass).toBe("connection_refused");
    expect(classifySmtpError({ code: "EDNS", message: "getaddrinfo ENOTFOUND smtp.example.invalid" }, input, "connect").errorClass).toBe("dns_failed");
    expect(classifySmtpError({ code: "ETLS", message: "Server does not support STARTTLS" }, input, "connect").errorClass).toBe("tls_failed");
  });
});
