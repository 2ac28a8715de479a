// EWS adapter (SOAP GetFolder, X-AnchorMailbox, ExchangeImpersonation for app-only) against the stand-in's EWS.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { daemonApp } from "../../e2e/stand-in/test-support/fixture-ids";
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

function ews(mailbox: string, accessToken: string, extra: Partial<CheckInput> = {}): CheckInput {
  return { protocol: "ews", direction: "inbound", mailbox, accessToken, authMode: "delegated", ewsUrl: s.standIn.urls.ews, trustedCaPem: s.standIn.caPem, timeoutMs: 10_000, ...extra };
}

describe("EWS check: healthy", () => {
  it("delegated: GetFolder inbox counts match the fixture", async () => {
    const outcome = succeeded(await check(ews(ADELE, await s.delegated(ADELE, [SCOPE.ews]))));
    expect(outcome.details).toMatchObject({ folder: "Inbox", ...s.fixtureCounts(ADELE) });
  });

  it("delegated shared mailbox (FullAccess): the mailbox is named in the folder id", async () => {
    const outcome = succeeded(await check(ews(SUPPORT, await s.delegated(ADELE, [SCOPE.ews]))));
    expect(outcome.details).toMatchObject(s.fixtureCounts(SUPPORT));
  });

  it("app-only with full_access_as_app and impersonation (real client-credentials token)", async () => {
    const outcome = succeeded(await check(ews(ALEX, await s.appOnly("https://outlook.office365.com/.default"), { authMode: "app_only" })));
    expect(outcome.details).toMatchObject(s.fixtureCounts(ALEX));
  });
});

describe("EWS check: failures, each with its class", () => {
  it("a Graph token: wrong_audience (401, x-ms-diagnostics 2000003)", async () => {
    const f = failed(await check(ews(ADELE, await s.delegated(ADELE, [SCOPE.graphRead]))));
    expect(f).toMatchObject({ errorClass: "wrong_audience", stage: "auth" });
    expect(f.serverResponse).toContain("2000003");
    expect(f.explanation.catalogCode).toBe("ews_401_invalid_audience");
  });

  it("an Exchange token without EWS.AccessAsUser.All: missing_permission (2000008)", async () => {
    const token = await s.delegated(ADELE, ["https://outlook.office365.com/IMAP.AccessAsUser.All"]);
    const f = failed(await check(ews(ADELE, token)));
    expect(f).toMatchObject({ errorClass: "missing_permission", stage: "auth" });
    expect(f.serverResponse).toContain("2000008");
  });

  it("an expired token: auth_failed", async () => {
    const f = failed(await check(ews(ADELE, await s.delegated(ADELE, [SCOPE.ews], -120))));
    expect(f.errorClass).toBe("auth_failed");
  });

  it("app-only without impersonation rights (outside the access policy): missing_permission (ErrorImpersonateUserDenied)", async () => {
    await s.standIn.control.setAccessPolicy("contoso.com", daemonApp.clientId, [ADELE]);
    const f = failed(await check(ews(ALEX, await s.appOnly("https://outlook.office365.com/.default"), { authMode: "app_only" })));
    expect(f).toMatchObject({ errorClass: "missing_permission", stage: "operation" });
    expect(f.serverResponse).toContain("ErrorImpersonateUserDenied");
    expect(f.explanation.catalogCode).toBe("ews_impersonate_user_denied");
  });

  it("delegated access to another user's mailbox without FullAccess: not_connected (ErrorAccessDenied)", async () => {
    const f = failed(await check(ews(ADELE, await s.delegated(MEGAN, [SCOPE.ews]))));
    expect(f.errorClass).toBe("not_connected");
    expect(f.serverResponse).toContain("ErrorAccessDenied");
  });

  it("an unknown mailbox: mailbox_not_found (ErrorNonExistentMailbox)", async () => {
    const f = failed(await check(ews("nobody@contoso.com", await s.appOnly("https://outlook.office365.com/.default"), { authMode: "app_only" })));
    expect(f.errorClass).toBe("mailbox_not_found");
  });

  it("an app-only token used as delegated (no impersonation header): auth_failed with the reason", async () => {
    const f = failed(await check(ews(ALEX, await s.appOnly("https://outlook.office365.com/.default"), { authMode: "delegated" })));
    expect(f.errorClass).toBe("auth_failed");
    expect(f.serverResponse).toContain("ErrorInvalidExchangeImpersonationHeaderData");
  });

  it("ErrorServerBusy: throttled with the back-off", async () => {
    await s.standIn.control.armFault({ endpoint: "ews", kind: "throttled", retryAfterSeconds: 12 });
    const f = failed(await check(ews(ADELE, await s.delegated(ADELE, [SCOPE.ews]))));
    expect(f).toMatchObject({ errorClass: "throttled", retryAfterSeconds: 12 });
    expect(f.explanation.catalogCode).toBe("ews_server_busy");
  });

  it("a hanging EWS: timeout", async () => {
    await s.standIn.control.armFault({ endpoint: "ews", kind: "hang" });
    const f = failed(await check(ews(ADELE, await s.delegated(ADELE, [SCOPE.ews]), { timeoutMs: 1500 })));
    expect(f.errorClass).toBe("timeout");
  });
});
