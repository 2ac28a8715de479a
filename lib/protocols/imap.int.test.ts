// IMAP adapter against the stand-in's real Dovecot (XOAUTH2 decided like Exchange Online).
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

function imap(mailbox: string, accessToken: string, authMode: CheckInput["authMode"] = "delegated"): CheckInput {
  return { protocol: "imap", direction: "inbound", mailbox, accessToken, authMode, server: { ...s.standIn.mail!.imap, security: "tls" }, trustedCaPem: s.standIn.caPem, timeoutMs: 10_000 };
}

describe("IMAP check: healthy", () => {
  it("delegated: counts match the fixture inbox, with stage timings", async () => {
    const outcome = succeeded(await check(imap(ADELE, await s.delegated(ADELE, [SCOPE.imap]))));
    expect(outcome.details).toMatchObject({ folder: "INBOX", ...s.fixtureCounts(ADELE) });
    expect(outcome.details.capabilities).toMatch(/IMAP4rev1/);
    expect(outcome.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(outcome.timings.authMs).toBeGreaterThanOrEqual(0);
    expect(outcome.timings.operationMs).toBeGreaterThanOrEqual(0);
  });

  it("shared mailbox: a delegate with FullAccess puts the shared address in user=", async () => {
    const outcome = succeeded(await check(imap(SUPPORT, await s.delegated(ADELE, [SCOPE.imap]))));
    expect(outcome.details).toMatchObject(s.fixtureCounts(SUPPORT));
  });

  it("app-only: IMAP.AccessAsApp and FullAccess for the service principal (real client-credentials token)", async () => {
    const token = await s.appOnly("https://outlook.office365.com/.default");
    expect(succeeded(await check(imap(ALEX, token, "app_only"))).details).toMatchObject(s.fixtureCounts(ALEX));
    expect(succeeded(await check(imap(SUPPORT, token, "app_only"))).details).toMatchObject(s.fixtureCounts(SUPPORT));
  });
});

describe("IMAP check: failures, each with its class", () => {
  it("a Graph token: wrong_audience (Exchange only says AUTHENTICATE failed)", async () => {
    const f = failed(await check(imap(ADELE, await s.delegated(ADELE, [SCOPE.graphRead]))));
    expect(f).toMatchObject({ errorClass: "wrong_audience", stage: "auth" });
    expect(f.serverResponse).toContain("AUTHENTICATE failed.");
    expect(f.diagnosis).toContain("https://graph.microsoft.com");
    expect(f.explanation.title).toBeTruthy();
  });

  it("an expired token: auth_failed, and the diagnosis says it expired", async () => {
    const f = failed(await check(imap(ADELE, await s.delegated(ADELE, [SCOPE.imap], -120))));
    expect(f).toMatchObject({ errorClass: "auth_failed", stage: "auth" });
    expect(f.diagnosis).toMatch(/expired/);
  });

  it("another user's token: not_connected (Exchange's BAD User is authenticated but not connected)", async () => {
    const f = failed(await check(imap(ADELE, await s.delegated(MEGAN, [SCOPE.imap]))));
    expect(f.errorClass).toBe("not_connected");
    expect(f.serverResponse).toContain("User is authenticated but not connected");
    expect(f.explanation).toMatchObject({ catalogCode: "imap_not_connected", actor: "admin" });
  });

  it("shared mailbox without FullAccess: not_connected", async () => {
    const f = failed(await check(imap(SUPPORT, await s.delegated(MEGAN, [SCOPE.imap]))));
    expect(f.errorClass).toBe("not_connected");
  });

  it("app-only without FullAccess on the mailbox: not_connected", async () => {
    const f = failed(await check(imap(MEGAN, await s.appOnly("https://outlook.office365.com/.default"), "app_only")));
    expect(f.errorClass).toBe("not_connected");
  });

  it("app-only token without IMAP.AccessAsApp: missing_permission", async () => {
    const token = await s.appOnlyWithRoles("https://outlook.office365.com/.default", ["POP.AccessAsApp"]);
    const f = failed(await check(imap(ALEX, token, "app_only")));
    expect(f.errorClass).toBe("missing_permission");
    expect(f.diagnosis).toContain("IMAP.AccessAsApp");
  });

  it("a token without the IMAP scope: missing_permission", async () => {
    const f = failed(await check(imap(ADELE, await s.delegated(ADELE, [SCOPE.smtp]))));
    expect(f.errorClass).toBe("missing_permission");
  });

  it("IMAP disabled for the mailbox: protocol_disabled; POP of the same mailbox is unaffected elsewhere", async () => {
    await s.standIn.control.updateMailbox(ADELE, { switches: { imapDisabled: true } });
    const f = failed(await check(imap(ADELE, await s.delegated(ADELE, [SCOPE.imap]))));
    expect(f).toMatchObject({ errorClass: "protocol_disabled", stage: "auth" });
    expect(f.diagnosis).toMatch(/ImapEnabled/);
    // The words come from the shared catalog, with the mailbox filled into the PowerShell fix.
    expect(f.explanation.catalogCode).toBe("imap_authenticate_failed");
    expect(f.explanation.fix).toContain(`Set-CASMailbox -Identity '${ADELE}' -ImapEnabled $true`);
  });
});
