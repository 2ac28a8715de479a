// POP3 adapter (our own client) against the stand-in's real Dovecot: implicit TLS and STLS.
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

function pop3(mailbox: string, accessToken: string, options: { authMode?: CheckInput["authMode"]; stls?: boolean } = {}): CheckInput {
  const server = options.stls ? { ...s.standIn.mail!.pop3Starttls!, security: "starttls" as const } : { ...s.standIn.mail!.pop3, security: "tls" as const };
  return { protocol: "pop3", direction: "inbound", mailbox, accessToken, authMode: options.authMode ?? "delegated", server, trustedCaPem: s.standIn.caPem, timeoutMs: 10_000 };
}

describe("POP3 check: healthy", () => {
  it("implicit TLS (995-style): STAT counts the fixture inbox", async () => {
    const outcome = succeeded(await check(pop3(ADELE, await s.delegated(ADELE, [SCOPE.pop3]))));
    expect(outcome.details).toMatchObject({ messages: s.fixtureCounts(ADELE).messages });
    expect(outcome.details.octets).toBeGreaterThan(0);
    expect(outcome.details.capabilities).toMatch(/XOAUTH2/);
    expect(outcome.details.tls).toMatch(/^TLSv1\.[23]$/);
  });

  it("STLS (110-style): the same answer after upgrading", async () => {
    const outcome = succeeded(await check(pop3(ADELE, await s.delegated(ADELE, [SCOPE.pop3]), { stls: true })));
    expect(outcome.details).toMatchObject({ messages: s.fixtureCounts(ADELE).messages });
    expect(outcome.details.tls).toMatch(/^TLSv1\.[23]$/);
  });

  it("shared mailbox through a delegate with FullAccess", async () => {
    const outcome = succeeded(await check(pop3(SUPPORT, await s.delegated(ADELE, [SCOPE.pop3]))));
    expect(outcome.details.messages).toBe(s.fixtureCounts(SUPPORT).messages);
  });

  it("app-only: POP.AccessAsApp and FullAccess for the service principal", async () => {
    const outcome = succeeded(await check(pop3(ALEX, await s.appOnly("https://outlook.office365.com/.default"), { authMode: "app_only" })));
    expect(outcome.details.messages).toBe(s.fixtureCounts(ALEX).messages);
  });
});

describe("POP3 check: failures, each with its class", () => {
  it("a Graph token: wrong_audience, with Exchange's -ERR text", async () => {
    const f = failed(await check(pop3(ADELE, await s.delegated(ADELE, [SCOPE.graphRead]))));
    expect(f).toMatchObject({ errorClass: "wrong_audience", stage: "auth" });
    expect(f.serverResponse).toContain("Authentication failure: unknown user name or bad password.");
  });

  it("an expired token: auth_failed", async () => {
    const f = failed(await check(pop3(ADELE, await s.delegated(ADELE, [SCOPE.pop3], -120), { stls: true })));
    expect(f.errorClass).toBe("auth_failed");
    expect(f.diagnosis).toMatch(/expired/);
  });

  it("another user's token: not_connected (Exchange refuses POP3 outright)", async () => {
    const f = failed(await check(pop3(ADELE, await s.delegated(MEGAN, [SCOPE.pop3]))));
    expect(f.errorClass).toBe("not_connected");
    expect(f.diagnosis).toContain(MEGAN);
  });

  it("shared mailbox without FullAccess: not_connected", async () => {
    expect(failed(await check(pop3(SUPPORT, await s.delegated(MEGAN, [SCOPE.pop3])))).errorClass).toBe("not_connected");
  });

  it("app-only without FullAccess: not_connected", async () => {
    const f = failed(await check(pop3(MEGAN, await s.appOnly("https://outlook.office365.com/.default"), { authMode: "app_only" })));
    expect(f.errorClass).toBe("not_connected");
  });

  it("an IMAP-only token: missing_permission", async () => {
    const f = failed(await check(pop3(ADELE, await s.delegated(ADELE, [SCOPE.imap]))));
    expect(f.errorClass).toBe("missing_permission");
    expect(f.diagnosis).toContain("POP.AccessAsUser.All");
  });

  it("POP disabled for the mailbox: protocol_disabled, while IMAP disabled does not touch POP", async () => {
    const token = await s.delegated(ADELE, [SCOPE.pop3]);
    await s.standIn.control.updateMailbox(ADELE, { switches: { imapDisabled: true } });
    succeeded(await check(pop3(ADELE, token)));
    await s.standIn.control.updateMailbox(ADELE, { switches: { imapDisabled: false, popDisabled: true } });
    const f = failed(await check(pop3(ADELE, token)));
    expect(f).toMatchObject({ errorClass: "protocol_disabled", stage: "auth" });
    expect(f.diagnosis).toMatch(/PopEnabled/);
    expect(f.explanation.catalogCode).toBe("pop3_authentication_failure");
    expect(f.explanation.fix).toContain(`-PopEnabled $true`);
  });
});
