// SMTP adapter (nodemailer, STARTTLS, custom XOAUTH2 handler) against the stand-in's real Postfix.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CheckInput } from "./protocol-check";
import { ADELE, ALEX, check, failed, MEGAN, SCOPE, startStandInChecks, succeeded, SUPPORT, type StandInChecks } from "./test-support/stand-in-checks";

let s: StandInChecks;

beforeAll(async () => {
  s = await startStandInChecks();
});
afterAll(async () => {
  await s?.release();
});
beforeEach(async () => {
  await s.standIn.control.reset();
});

function smtp(mailbox: string, accessToken: string, extra: Partial<CheckInput> = {}): CheckInput {
  return { protocol: "smtp", direction: "outbound", mailbox, accessToken, authMode: "delegated", server: { ...s.standIn.mail!.smtp, security: "starttls" }, trustedCaPem: s.standIn.caPem, timeoutMs: 10_000, ...extra };
}

describe("SMTP check: healthy", () => {
  it("STARTTLS + AUTH XOAUTH2, no message by default", async () => {
    const before = (await s.standIn.control.delivered(MEGAN)).length;
    const outcome = succeeded(await check(smtp(ADELE, await s.delegated(ADELE, [SCOPE.smtp]))));
    expect(outcome.details).toMatchObject({ authenticated: true, sent: false });
    expect((await s.standIn.control.delivered(MEGAN)).length).toBe(before);
  });

  it("with a test address: one short message is delivered", async () => {
    const outcome = succeeded(await check(smtp(ADELE, await s.delegated(ADELE, [SCOPE.smtp]), { testMessageTo: MEGAN })));
    expect(outcome.details).toMatchObject({ sent: true, from: ADELE, to: MEGAN });
    expect(String(outcome.details.serverReply)).toMatch(/^250 /);
    const delivered = await s.standIn.control.delivered(MEGAN);
    expect(delivered.some((d) => d.raw.includes("Subject: Mailbox OAuth Portal: SMTP test message") && d.raw.includes(`From: ${ADELE}`))).toBe(true);
  });

  it("sending as a shared mailbox the user has Send As on", async () => {
    const outcome = succeeded(await check(smtp(ADELE, await s.delegated(ADELE, [SCOPE.smtp]), { testMessageTo: MEGAN, fromAddress: SUPPORT })));
    expect(outcome.details).toMatchObject({ sent: true, from: SUPPORT });
  });

  it("app-only: SMTP.SendAsApp and FullAccess for the service principal", async () => {
    const outcome = succeeded(await check(smtp(ALEX, await s.appOnly("https://outlook.office365.com/.default"), { authMode: "app_only" })));
    expect(outcome.details.authenticated).toBe(true);
  });
});

describe("SMTP check: failures, each with its class", () => {
  it("SMTP AUTH disabled: smtp_auth_disabled with Exchange's 5.7.139 text behind Postfix's prefix", async () => {
    await s.standIn.control.updateMailbox(ADELE, { switches: { smtpAuthDisabled: true } });
    const f = failed(await check(smtp(ADELE, await s.delegated(ADELE, [SCOPE.smtp]))));
    expect(f).toMatchObject({ errorClass: "smtp_auth_disabled", stage: "auth" });
    expect(f.serverResponse).toContain("5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled");
    expect(f.explanation).toMatchObject({ catalogCode: "smtp_5.7.139_smtp_auth_disabled", actor: "admin", permanent: true });
    expect(f.explanation.fix).toContain(`Set-CASMailbox -Identity '${ADELE}' -SmtpClientAuthenticationDisabled $false`);
  });

  it("Send As denied with a test message: send_as_denied (554 5.2.252 at end of DATA)", async () => {
    const before = (await s.standIn.control.delivered(ADELE)).length;
    const f = failed(await check(smtp(MEGAN, await s.delegated(MEGAN, [SCOPE.smtp]), { testMessageTo: ADELE, fromAddress: SUPPORT })));
    expect(f).toMatchObject({ errorClass: "send_as_denied", stage: "operation" });
    expect(f.serverResponse).toContain("5.2.252 SendAsDenied");
    expect(f.explanation.catalogCode).toBe("smtp_5.2.252_send_as_denied");
    expect((await s.standIn.control.delivered(ADELE)).length).toBe(before);
  });

  it("a Graph token: wrong_audience (Exchange says only 5.7.3)", async () => {
    const f = failed(await check(smtp(ADELE, await s.delegated(ADELE, [SCOPE.graphSend]))));
    expect(f).toMatchObject({ errorClass: "wrong_audience", stage: "auth" });
    expect(f.serverResponse).toContain("5.7.3 Authentication unsuccessful");
  });

  it("an expired token: auth_failed", async () => {
    const f = failed(await check(smtp(ADELE, await s.delegated(ADELE, [SCOPE.smtp], -120))));
    expect(f.errorClass).toBe("auth_failed");
    expect(f.diagnosis).toMatch(/expired/);
  });

  it("another user's token: not_connected", async () => {
    const f = failed(await check(smtp(ADELE, await s.delegated(MEGAN, [SCOPE.smtp]))));
    expect(f.errorClass).toBe("not_connected");
  });

  it("app-only without FullAccess on the mailbox: not_connected", async () => {
    const f = failed(await check(smtp(MEGAN, await s.appOnly("https://outlook.office365.com/.default"), { authMode: "app_only" })));
    expect(f.errorClass).toBe("not_connected");
  });

  it("a token without SMTP.Send: missing_permission", async () => {
    const f = failed(await check(smtp(ADELE, await s.delegated(ADELE, [SCOPE.imap]))));
    expect(f.errorClass).toBe("missing_permission");
  });
});
