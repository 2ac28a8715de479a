import { describe, expect, it } from "vitest";
import { clouds } from "@/lib/microsoft/clouds";
import { appOnlyTokenPlan, checkTokenClaimsForProtocol, delegatedScopePlan, tokenRequirementFor } from "@/lib/microsoft/scopes";

const g = clouds.global;

describe("delegated scopes (reference §2.1, §2.3)", () => {
  it("IMAP + SMTP + Graph read + EWS: three resources, one consent call with OIDC", () => {
    const plan = delegatedScopePlan(
      [
        { direction: "inbound", protocol: "imap" },
        { direction: "outbound", protocol: "smtp" },
        { direction: "inbound", protocol: "graph" },
        { direction: "outbound", protocol: "ews" },
      ],
      g,
    );
    expect(plan.resources.map((r) => [r.resource, r.scopes])).toEqual([
      ["https://outlook.office.com", ["https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send"]],
      ["https://graph.microsoft.com", ["https://graph.microsoft.com/Mail.Read"]],
      ["https://outlook.office365.com", ["https://outlook.office365.com/EWS.AccessAsUser.All"]],
    ]);
    expect(plan.resources[0]!.requestScopes).toEqual([
      "https://outlook.office.com/IMAP.AccessAsUser.All",
      "https://outlook.office.com/SMTP.Send",
      "openid",
      "profile",
      "email",
      "offline_access",
    ]);
    expect(plan.consentScopes).toEqual([
      "https://outlook.office.com/IMAP.AccessAsUser.All",
      "https://outlook.office.com/SMTP.Send",
      "https://graph.microsoft.com/Mail.Read",
      "https://outlook.office365.com/EWS.AccessAsUser.All",
      "openid",
      "profile",
      "email",
      "offline_access",
    ]);
  });

  it("every scope carries its full resource prefix (a bare name would resolve to Graph)", () => {
    const plan = delegatedScopePlan([{ direction: "inbound", protocol: "pop3" }, { direction: "outbound", protocol: "graph" }], g);
    for (const r of plan.resources) for (const s of r.scopes) expect(s.startsWith(`${r.resource}/`)).toBe(true);
    expect(plan.consentScopes).toContain("https://graph.microsoft.com/Mail.Send");
    expect(plan.consentScopes).toContain("https://outlook.office.com/POP.AccessAsUser.All");
  });

  it("Graph for a shared mailbox adds the .Shared scopes", () => {
    const plan = delegatedScopePlan([{ direction: "inbound", protocol: "graph" }, { direction: "outbound", protocol: "graph" }], g, { sharedMailbox: true });
    expect(plan.resources).toHaveLength(1);
    expect(plan.resources[0]!.scopes).toEqual([
      "https://graph.microsoft.com/Mail.Read",
      "https://graph.microsoft.com/Mail.Read.Shared",
      "https://graph.microsoft.com/Mail.Send",
      "https://graph.microsoft.com/Mail.Send.Shared",
    ]);
  });

  it("GCC High: IMAP and EWS share one resource, so one token covers both", () => {
    const plan = delegatedScopePlan([{ direction: "inbound", protocol: "imap" }, { direction: "outbound", protocol: "ews" }], clouds["usgov-gcchigh"]);
    expect(plan.resources).toHaveLength(1);
    expect(plan.resources[0]!.scopes).toEqual(["https://outlook.office365.us/IMAP.AccessAsUser.All", "https://outlook.office365.us/EWS.AccessAsUser.All"]);
  });
});

describe("app-only scopes (reference §2.2)", () => {
  it(".default per resource, with the roles each protocol needs", () => {
    const plan = appOnlyTokenPlan(
      [
        { direction: "inbound", protocol: "imap" },
        { direction: "inbound", protocol: "pop3" },
        { direction: "outbound", protocol: "smtp" },
        { direction: "inbound", protocol: "ews" },
        { direction: "inbound", protocol: "graph" },
        { direction: "outbound", protocol: "graph" },
      ],
      g,
    );
    expect(plan.map((p) => [p.scope, p.roles.map((r) => r.name)])).toEqual([
      ["https://outlook.office365.com/.default", ["IMAP.AccessAsApp", "POP.AccessAsApp", "SMTP.SendAsApp", "full_access_as_app"]],
      ["https://graph.microsoft.com/.default", ["Mail.Read", "Mail.Send"]],
    ]);
  });

  it("audiences: delegated mail outlook.office.com, app-only and EWS outlook.office365.com, Graph graph.microsoft.com", () => {
    expect(tokenRequirementFor({ direction: "inbound", protocol: "imap" }, "delegated", g).audience).toBe("https://outlook.office.com");
    expect(tokenRequirementFor({ direction: "inbound", protocol: "imap" }, "app_only", g).audience).toBe("https://outlook.office365.com");
    expect(tokenRequirementFor({ direction: "inbound", protocol: "ews" }, "delegated", g).audience).toBe("https://outlook.office365.com");
    expect(tokenRequirementFor({ direction: "outbound", protocol: "graph" }, "app_only", g).acceptedAudiences).toEqual(["https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000"]);
  });
});

describe("checkTokenClaimsForProtocol", () => {
  const delegatedImap = { aud: "https://outlook.office.com", scp: "IMAP.AccessAsUser.All SMTP.Send", tid: "t", upn: "a@contoso.com" };

  it("accepts a right delegated IMAP token", () => {
    expect(checkTokenClaimsForProtocol(delegatedImap, "imap", "delegated", g)).toEqual({ ok: true, problems: [] });
    expect(checkTokenClaimsForProtocol(delegatedImap, "smtp", "delegated", g).ok).toBe(true);
  });

  it("flags a Graph-audience token used for IMAP (bare scope name) and a missing scope", () => {
    const result = checkTokenClaimsForProtocol({ aud: "https://graph.microsoft.com", scp: "IMAP.AccessAsUser.All" }, "imap", "delegated", g);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ kind: "wrong_audience", expected: "https://outlook.office.com", actual: "https://graph.microsoft.com" })]);
    const pop = checkTokenClaimsForProtocol(delegatedImap, "pop3", "delegated", g);
    expect(pop.problems).toEqual([expect.objectContaining({ kind: "missing_scope", expected: "POP.AccessAsUser.All", actual: "IMAP.AccessAsUser.All SMTP.Send" })]);
  });

  it("app-only: roles, .default audience, and a delegated token where roles are expected", () => {
    const app = { aud: "https://outlook.office365.com", roles: ["IMAP.AccessAsApp"], oid: "sp" };
    expect(checkTokenClaimsForProtocol(app, "imap", "app_only", g).ok).toBe(true);
    expect(checkTokenClaimsForProtocol(app, "smtp", "app_only", g).problems).toEqual([expect.objectContaining({ kind: "missing_role", expected: "SMTP.SendAsApp", actual: "IMAP.AccessAsApp" })]);
    const wrong = checkTokenClaimsForProtocol(delegatedImap, "imap", "app_only", g);
    expect(wrong.problems.map((p) => p.kind)).toEqual(["wrong_audience", "missing_role"]);
    expect(wrong.problems[1]!.message).toMatch(/delegated token/);
  });

  it("Graph: Mail.ReadWrite satisfies Mail.Read; a bare 'graph' needs read and send; the app ID is an accepted audience", () => {
    const token = { aud: "00000003-0000-0000-c000-000000000000", roles: ["Mail.ReadWrite"] };
    expect(checkTokenClaimsForProtocol(token, { direction: "inbound", protocol: "graph" }, "app_only", g).ok).toBe(true);
    expect(checkTokenClaimsForProtocol(token, "graph", "app_only", g).problems).toEqual([expect.objectContaining({ kind: "missing_role", expected: "Mail.Send" })]);
  });

  it("RBAC for Applications: no role needed in the token for SMTP, Graph and EWS, but still for IMAP", () => {
    const noRoles = { aud: "https://outlook.office365.com", oid: "sp" };
    expect(checkTokenClaimsForProtocol(noRoles, "smtp", "app_only", g, { rbacForApplications: true }).ok).toBe(true);
    expect(checkTokenClaimsForProtocol(noRoles, "imap", "app_only", g, { rbacForApplications: true }).ok).toBe(false);
  });

  it("audience comparison ignores a trailing slash and case", () => {
    expect(checkTokenClaimsForProtocol({ ...delegatedImap, aud: "https://Outlook.office.com/" }, "imap", "delegated", g).ok).toBe(true);
    expect(checkTokenClaimsForProtocol({ scp: "IMAP.AccessAsUser.All" }, "imap", "delegated", g).problems[0]).toMatchObject({ kind: "wrong_audience", actual: null });
  });
});
