import { describe, expect, it } from "vitest";
import { runProtocolCheck, type CheckInput } from "./protocol-check";

const base: CheckInput = { protocol: "imap", direction: "inbound", mailbox: "adele.vance@contoso.com", accessToken: "eyJhbGciOi.secret-payload.secret-signature", authMode: "delegated", server: { host: "127.0.0.1", port: 993, security: "tls" } };

describe("runProtocolCheck input problems", () => {
  it.each<[string, Partial<CheckInput> | Record<string, unknown>]>([
    ["no server", { server: undefined }],
    ["bad port", { server: { host: "x", port: 0, security: "tls" } }],
    ["no mailbox", { mailbox: "" }],
    ["no token", { accessToken: "" }],
    ["a token with a newline", { accessToken: "abc\r\nQUIT" }],
    ["SMTP inbound", { protocol: "smtp" }],
    ["unknown protocol", { protocol: "nntp" }],
    ["Graph without URL", { protocol: "graph" }],
    ["EWS over http", { protocol: "ews", ewsUrl: "http://outlook.office365.com/EWS/Exchange.asmx" }],
  ])("%s: a failure outcome, never a throw, never the token", async (_label, change) => {
    const input = { ...base, ...change } as CheckInput;
    const outcome = await runProtocolCheck(input);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errorClass).toBe("unknown");
    expect(outcome.diagnosis).toMatch(/could not start/);
    expect(outcome.explanation.catalogCode).toBe("check_not_started");
    expect(JSON.stringify(outcome)).not.toContain("secret-payload");
  });
});
