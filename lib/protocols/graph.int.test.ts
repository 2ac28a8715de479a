// Graph adapter (@microsoft/microsoft-graph-client, customHosts, per-check CA) against the stand-in's HTTPS Graph.
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

function graph(direction: CheckInput["direction"], mailbox: string, accessToken: string, extra: Partial<CheckInput> = {}): CheckInput {
  return { protocol: "graph", direction, mailbox, accessToken, authMode: "delegated", graphBaseUrl: s.standIn.urls.graph, trustedCaPem: s.standIn.caPem, timeoutMs: 10_000, ...extra };
}

describe("Graph check: healthy", () => {
  it("inbound: the inbox folder's counts match the fixture", async () => {
    const outcome = succeeded(await check(graph("inbound", ADELE, await s.delegated(ADELE, [SCOPE.graphRead]))));
    expect(outcome.details).toMatchObject({ folder: "Inbox", ...s.fixtureCounts(ADELE) });
    expect(outcome.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(outcome.timings.operationMs).toBeGreaterThanOrEqual(0);
  });

  it("inbound accepts a base URL with /v1.0", async () => {
    succeeded(await check(graph("inbound", ADELE, await s.delegated(ADELE, [SCOPE.graphRead]), { graphBaseUrl: `${s.standIn.urls.graph}/v1.0/` })));
  });

  it("inbound app-only (Mail.Read role, real client-credentials token)", async () => {
    const outcome = succeeded(await check(graph("inbound", ALEX, await s.appOnly("https://graph.microsoft.com/.default"), { authMode: "app_only" })));
    expect(outcome.details).toMatchObject(s.fixtureCounts(ALEX));
  });

  it("inbound shared mailbox: Mail.Read.Shared plus FullAccess", async () => {
    const outcome = succeeded(await check(graph("inbound", SUPPORT, await s.delegated(ADELE, [SCOPE.graphReadShared]))));
    expect(outcome.details).toMatchObject(s.fixtureCounts(SUPPORT));
  });

  it("outbound without a test address: Mail.Send read from the token, nothing sent", async () => {
    const outcome = succeeded(await check(graph("outbound", ADELE, await s.delegated(ADELE, [SCOPE.graphSend]))));
    expect(outcome.details).toMatchObject({ sent: false, mailSendGranted: true, permission: "Mail.Send" });
    expect(await s.standIn.control.graphSent(ADELE)).toHaveLength(0);
  });

  it("outbound with a test address: sendMail, seen by the stand-in", async () => {
    const outcome = succeeded(await check(graph("outbound", ADELE, await s.delegated(ADELE, [SCOPE.graphSend]), { testMessageTo: MEGAN })));
    expect(outcome.details).toMatchObject({ sent: true, to: MEGAN });
    const sent = await s.standIn.control.graphSent(ADELE);
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0])).toContain("Mailbox OAuth Portal: Graph test message");
  });

  it("outbound app-only (Mail.Send role) with a test message", async () => {
    succeeded(await check(graph("outbound", ALEX, await s.appOnly("https://graph.microsoft.com/.default"), { authMode: "app_only", testMessageTo: ADELE })));
    expect(await s.standIn.control.graphSent(ALEX)).toHaveLength(1);
  });
});

describe("Graph check: failures, each with its class", () => {
  it("an Outlook token: wrong_audience (401 InvalidAuthenticationToken, Invalid audience)", async () => {
    const f = failed(await check(graph("inbound", ADELE, await s.delegated(ADELE, [SCOPE.imap]))));
    expect(f).toMatchObject({ errorClass: "wrong_audience", stage: "auth" });
    expect(f.serverResponse).toContain("Invalid audience");
    expect(f.explanation.catalogCode).toBe("graph_401_invalid_audience");
  });

  it("an expired token: auth_failed", async () => {
    const f = failed(await check(graph("inbound", ADELE, await s.delegated(ADELE, [SCOPE.graphRead], -120))));
    expect(f).toMatchObject({ errorClass: "auth_failed", stage: "auth" });
    expect(f.serverResponse).toMatch(/expired/);
  });

  it("another user's mailbox without Mail.Read.Shared: missing_permission (403 ErrorAccessDenied)", async () => {
    const f = failed(await check(graph("inbound", ADELE, await s.delegated(MEGAN, [SCOPE.graphRead]))));
    expect(f).toMatchObject({ errorClass: "missing_permission", stage: "operation" });
    expect(f.serverResponse).toContain("ErrorAccessDenied");
    expect(f.diagnosis).toContain("Mail.Read.Shared");
  });

  it("a shared mailbox with Mail.Read.Shared but no FullAccess: not_connected", async () => {
    const f = failed(await check(graph("inbound", SUPPORT, await s.delegated(MEGAN, [SCOPE.graphReadShared]))));
    expect(f.errorClass).toBe("not_connected");
  });

  it("app-only without the Mail.Read role: missing_permission (403)", async () => {
    const token = await s.appOnlyWithRoles("https://graph.microsoft.com/.default", ["Mail.Send"]);
    const f = failed(await check(graph("inbound", ALEX, token, { authMode: "app_only" })));
    expect(f.errorClass).toBe("missing_permission");
  });

  it("app-only outside the Application Access Policy: missing_permission", async () => {
    await s.standIn.control.setAccessPolicy("contoso.com", daemonApp.clientId, [ADELE]);
    const f = failed(await check(graph("inbound", ALEX, await s.appOnly("https://graph.microsoft.com/.default"), { authMode: "app_only" })));
    expect(f.errorClass).toBe("missing_permission");
    expect(f.diagnosis).toMatch(/Access Policy/);
    expect(f.explanation.catalogCode).toBe("graph_403_access_policy");
  });

  it("outbound without Mail.Send in the token: missing_permission, and nothing is sent", async () => {
    const f = failed(await check(graph("outbound", ADELE, await s.delegated(ADELE, [SCOPE.graphRead]), { testMessageTo: MEGAN })));
    expect(f).toMatchObject({ errorClass: "missing_permission", stage: "auth" });
    expect(f.explanation.catalogCode).toBe("graph_403_access_denied");
    expect(await s.standIn.control.graphSent(ADELE)).toHaveLength(0);
  });

  it("outbound Send As denied: send_as_denied (403 ErrorSendAsDenied)", async () => {
    const f = failed(await check(graph("outbound", MEGAN, await s.delegated(MEGAN, [SCOPE.graphSend]), { testMessageTo: ADELE, fromAddress: SUPPORT })));
    expect(f.errorClass).toBe("send_as_denied");
    expect(f.serverResponse).toContain("ErrorSendAsDenied");
  });

  it("a mailbox Graph does not know: mailbox_not_found (404)", async () => {
    const f = failed(await check(graph("inbound", "nobody@contoso.com", await s.appOnly("https://graph.microsoft.com/.default"), { authMode: "app_only" })));
    expect(f.errorClass).toBe("mailbox_not_found");
  });

  it("429 with Retry-After: throttled, and the wait is reported, not waited out", async () => {
    await s.standIn.control.armFault({ endpoint: "graph", kind: "throttled", retryAfterSeconds: 30 });
    const f = failed(await check(graph("inbound", ADELE, await s.delegated(ADELE, [SCOPE.graphRead]))));
    expect(f).toMatchObject({ errorClass: "throttled", retryAfterSeconds: 30 });
    expect(f.durationMs).toBeLessThan(10_000);
    expect(f.explanation).toMatchObject({ catalogCode: "http_429", actor: "retry", permanent: false });
  });

  it("500: server_error", async () => {
    await s.standIn.control.armFault({ endpoint: "graph", kind: "server_error" });
    expect(failed(await check(graph("inbound", ADELE, await s.delegated(ADELE, [SCOPE.graphRead])))).errorClass).toBe("server_error");
  });

  it("a hanging Graph: timeout within the check's limit", async () => {
    await s.standIn.control.armFault({ endpoint: "graph", kind: "hang" });
    const f = failed(await check(graph("inbound", ADELE, await s.delegated(ADELE, [SCOPE.graphRead]), { timeoutMs: 1500 })));
    expect(f).toMatchObject({ errorClass: "timeout", stage: "operation" });
    expect(f.durationMs).toBeLessThan(5000);
  });
});
