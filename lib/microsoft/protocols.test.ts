import { describe, expect, it } from "vitest";
import { clouds, endpointsOf } from "@/lib/microsoft/clouds";
import {
  availableProtocols,
  ewsRetirementPhase,
  protocolAvailability,
  protocolUseSchema,
  protocolUsesOf,
  serverPresetFor,
  splitHostPort,
} from "@/lib/microsoft/protocols";

const custom = endpointsOf("custom", {
  loginHost: "127.0.0.1:40953",
  graphHost: "127.0.0.1:42137",
  outlookDelegatedResource: "https://outlook.office.com",
  exchangeResource: "https://outlook.office365.com",
  graphResource: "https://graph.microsoft.com",
  imapHost: "127.0.0.1:40773",
  popHost: "127.0.0.1:41011",
  smtpHost: "127.0.0.1:43749",
  ewsUrl: "https://127.0.0.1:34447/EWS/Exchange.asmx",
  trustedCaPem: null,
});

describe("server presets (reference §1.3, §8)", () => {
  it("global: IMAP 993 TLS, POP3 995 TLS, SMTP 587 STARTTLS on Microsoft's hosts", () => {
    expect(serverPresetFor("imap", clouds.global)).toEqual({ host: "outlook.office365.com", port: 993, security: "tls", url: null });
    expect(serverPresetFor("pop3", clouds.global)).toEqual({ host: "outlook.office365.com", port: 995, security: "tls", url: null });
    expect(serverPresetFor("smtp", clouds.global)).toEqual({ host: "smtp.office365.com", port: 587, security: "starttls", url: null });
    expect(serverPresetFor("graph", clouds.global)).toEqual({ host: "graph.microsoft.com", port: 443, security: "tls", url: "https://graph.microsoft.com/v1.0" });
    expect(serverPresetFor("ews", clouds.global)).toEqual({ host: "outlook.office365.com", port: 443, security: "tls", url: "https://outlook.office365.com/EWS/Exchange.asmx" });
  });

  it("personal accounts send through smtp-mail.outlook.com but read from outlook.office365.com", () => {
    expect(serverPresetFor("smtp", clouds.global, { personalAccount: true })?.host).toBe("smtp-mail.outlook.com");
    expect(serverPresetFor("imap", clouds.global, { personalAccount: true })?.host).toBe("outlook.office365.com");
  });

  it("national clouds use their own hosts", () => {
    expect(serverPresetFor("smtp", clouds["usgov-gcchigh"])?.host).toBe("smtp.office365.us");
    expect(serverPresetFor("imap", clouds.china)?.host).toBe("partner.outlook.cn");
  });

  it("a custom cloud's host:port values become host and port; its SMTP host is kept for personal accounts", () => {
    expect(serverPresetFor("imap", custom)).toEqual({ host: "127.0.0.1", port: 40773, security: "tls", url: null });
    expect(serverPresetFor("smtp", custom, { personalAccount: true })).toEqual({ host: "127.0.0.1", port: 43749, security: "starttls", url: null });
    expect(serverPresetFor("graph", custom)?.url).toBe("https://127.0.0.1:42137/v1.0");
    expect(serverPresetFor("ews", custom)).toMatchObject({ host: "127.0.0.1", port: 34447 });
    expect(serverPresetFor("ews", { ...custom, ewsUrl: null })).toBeNull();
    expect(splitHostPort("outlook.office365.com", 993)).toEqual({ host: "outlook.office365.com", port: 993 });
  });
});

describe("protocols per mode (reference §8)", () => {
  it("work accounts: every protocol in both modes", () => {
    expect(availableProtocols("delegated", { personalAccount: false, endpoints: clouds.global })).toEqual(["imap", "pop3", "smtp", "graph", "ews"]);
    expect(availableProtocols("app_only", { personalAccount: false, endpoints: clouds.global })).toEqual(["imap", "pop3", "smtp", "graph", "ews"]);
  });

  it("personal accounts: delegated only, no EWS", () => {
    expect(availableProtocols("delegated", { personalAccount: true })).toEqual(["imap", "pop3", "smtp", "graph"]);
    expect(availableProtocols("app_only", { personalAccount: true })).toEqual([]);
    const refusal = protocolAvailability("imap", "app_only", { personalAccount: true });
    expect(refusal.available).toBe(false);
    expect(!refusal.available && refusal.reason).toMatch(/delegated/);
  });

  it("EWS needs an EWS endpoint", () => {
    expect(protocolAvailability("ews", "delegated", { personalAccount: false, endpoints: { ...custom, ewsUrl: null } }).available).toBe(false);
  });

  it("uses: IMAP is inbound only, SMTP outbound only", () => {
    expect(protocolUseSchema.safeParse({ direction: "outbound", protocol: "imap" }).success).toBe(false);
    expect(protocolUseSchema.safeParse({ direction: "inbound", protocol: "smtp" }).success).toBe(false);
    expect(protocolUsesOf({ inbound: "graph", outbound: "smtp" })).toEqual([
      { direction: "inbound", protocol: "graph" },
      { direction: "outbound", protocol: "smtp" },
    ]);
  });
});

describe("EWS retirement (reference §4)", () => {
  it("disabled by default from 2026-10-01, shut down from 2027-04-01", () => {
    expect(ewsRetirementPhase(new Date("2026-09-30T23:59:59Z"))).toBe("before_disablement");
    expect(ewsRetirementPhase(new Date("2026-10-01T00:00:00Z"))).toBe("disabled_by_default");
    expect(ewsRetirementPhase(new Date("2027-03-31T12:00:00Z"))).toBe("disabled_by_default");
    expect(ewsRetirementPhase(new Date("2027-04-01T00:00:00Z"))).toBe("shut_down");
  });
});
