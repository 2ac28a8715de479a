import { describe, expect, it } from "vitest";
import { expectGolden } from "@/lib/microsoft/expect-golden";
import { buildExchangePowerShell, renderPowerShellScript, type PowerShellInput } from "@/lib/microsoft/powershell";
import { opathEquals, psComment, psQuote } from "@/lib/microsoft/powershell-quoting";

const daemon: PowerShellInput = {
  tenant: "b3922080-3ce0-4dbb-b906-e7d97973bbe4",
  clientId: "b19bba8f-95da-41c2-9167-474dca5f0c0c",
  appDisplayName: "Contoso Mailbox Daemon",
  enterpriseAppObjectId: "95aa62ea-1af4-4ce9-9e54-1f57195f62ae",
  accessPolicyGroup: "portal-mailboxes@contoso.com",
  mailboxes: [
    { address: "support@contoso.com", mode: "app_only", uses: [{ direction: "inbound", protocol: "imap" }, { direction: "outbound", protocol: "smtp" }] },
    { address: "alex.wilber@contoso.com", mode: "app_only", uses: [{ direction: "inbound", protocol: "pop3" }] },
    { address: "adele.vance@contoso.com", mode: "app_only", uses: [{ direction: "inbound", protocol: "graph" }, { direction: "outbound", protocol: "ews" }] },
    { address: "megan.bowen@contoso.com", mode: "delegated", uses: [{ direction: "outbound", protocol: "smtp" }] },
    { address: "sales@contoso.com", mode: "delegated", signingIdentity: "megan.bowen@contoso.com", uses: [{ direction: "inbound", protocol: "imap" }, { direction: "outbound", protocol: "smtp" }] },
  ],
};

describe("quoting for PowerShell", () => {
  it("single-quotes values, doubling straight and typographic single quotes, flattening control characters", () => {
    expect(psQuote("o'brien@contoso.com")).toBe("'o''brien@contoso.com'");
    expect(psQuote("a\u2019b")).toBe("'a\u2019\u2019b'");
    expect(psQuote("$(Remove-Item C:\\) `n \"x\"")).toBe("'$(Remove-Item C:\\) `n \"x\"'");
    expect(psQuote("a\nRemove-Mailbox x")).toBe("'a Remove-Mailbox x'");
    expect(psComment("label\nRemove-Mailbox x")).toBe("# label Remove-Mailbox x");
    expect(opathEquals("PrimarySmtpAddress", "o'brien@contoso.com")).toBe("PrimarySmtpAddress -eq 'o''brien@contoso.com'");
    expect(psQuote(opathEquals("PrimarySmtpAddress", "o'brien@contoso.com"))).toBe("'PrimarySmtpAddress -eq ''o''''brien@contoso.com'''");
  });
});

describe("Exchange Online PowerShell (reference §3, §4)", () => {
  it("app-only and delegated mailboxes with every step: golden", () => {
    const sections = buildExchangePowerShell(daemon);
    expect(sections.map((s) => s.id)).toEqual([
      "connect",
      "enable-protocols",
      "service-principal",
      "mailbox-permissions",
      "send-as",
      "shared-mailbox-delegates",
      "rbac-for-applications",
      "application-access-policy",
    ]);
    expectGolden("powershell-app-only-and-delegated.ps1", renderPowerShellScript(sections));
  });

  it("unknown enterprise app object ID: a placeholder and where to find the right one", () => {
    const sections = buildExchangePowerShell({
      tenant: "organizations",
      clientId: "b19bba8f-95da-41c2-9167-474dca5f0c0c",
      appDisplayName: "O'Brien's $(mail) app",
      mailboxes: [{ address: "shared@fabrikam.com", mode: "app_only", uses: [{ direction: "inbound", protocol: "imap" }] }],
    });
    expect(sections.map((s) => s.id)).toEqual(["connect", "enable-protocols", "service-principal", "mailbox-permissions"]);
    const sp = sections.find((s) => s.id === "service-principal")!;
    expect(sp.script).toContain("New-ServicePrincipal -AppId 'b19bba8f-95da-41c2-9167-474dca5f0c0c' -ObjectId '<ENTERPRISE-APP-OBJECT-ID>' -DisplayName 'O''Brien''s $(mail) app'");
    expect(sp.script).toMatch(/Enterprise applications → O'Brien's \$\(mail\) app → Overview → Object ID/);
    expect(sp.script).toMatch(/NOT App registrations/);
    expect(sections[0]!.script).toContain("Connect-ExchangeOnline -Organization '<TENANT-ID-OR-DOMAIN>'");
    expectGolden("powershell-placeholder.ps1", renderPowerShellScript(sections));
  });

  it("delegated-only mailboxes get protocol switches but no service principal", () => {
    const sections = buildExchangePowerShell({ ...daemon, mailboxes: daemon.mailboxes.filter((m) => m.mode === "delegated") });
    expect(sections.map((s) => s.id)).toEqual(["connect", "enable-protocols", "shared-mailbox-delegates"]);
    expect(sections[1]!.script).toBe(
      "Set-CASMailbox -Identity 'megan.bowen@contoso.com' -SmtpClientAuthenticationDisabled $false\nSet-CASMailbox -Identity 'sales@contoso.com' -ImapEnabled $true -SmtpClientAuthenticationDisabled $false",
    );
  });

  it("Graph-only delegated mailboxes need no PowerShell", () => {
    expect(buildExchangePowerShell({ ...daemon, mailboxes: [{ address: "a@contoso.com", mode: "delegated", uses: [{ direction: "inbound", protocol: "graph" }] }] })).toEqual([]);
  });

  it("a mailbox listed twice is granted once", () => {
    const sections = buildExchangePowerShell({
      ...daemon,
      mailboxes: [
        { address: "Support@contoso.com", mode: "app_only", uses: [{ direction: "inbound", protocol: "imap" }] },
        { address: "support@contoso.com", mode: "app_only", uses: [{ direction: "outbound", protocol: "smtp" }] },
      ],
    });
    const grants = sections.find((s) => s.id === "mailbox-permissions")!.script.split("\n");
    expect(grants).toEqual(["Add-MailboxPermission -Identity 'Support@contoso.com' -User '95aa62ea-1af4-4ce9-9e54-1f57195f62ae' -AccessRights FullAccess"]);
    expect(sections.find((s) => s.id === "send-as")!.script).toContain("-AccessRights SendAs -Confirm:$false");
  });
});
