import { describe, expect, it } from "vitest";
import type { AppRegistrationView } from "@/lib/app-registrations/app-registration-view";
import { mailboxFormSchema, parseTags, validateMailboxForm } from "@/lib/mailboxes/mailbox-form";
import { clouds } from "@/lib/microsoft/clouds";

const app = {
  id: "app1",
  label: "Help desk",
  cloud: "global",
  endpoints: clouds.global,
  tenant: "contoso.onmicrosoft.com",
  audience: "single_tenant",
} as unknown as AppRegistrationView;

const base = { address: "helpdesk@contoso.com", direction: "inbound", inboundProtocol: "imap", authMode: "delegated", appRegistrationId: "app1" };
const validate = (o: Record<string, string>, a: AppRegistrationView | null = app, now = new Date("2026-11-20T00:00:00Z")) =>
  validateMailboxForm(mailboxFormSchema.parse({ ...base, ...o }), a, now);

describe("mailbox form", () => {
  it("fills server settings from the cloud's preset", () => {
    const r = validate({ direction: "both", outboundProtocol: "smtp" });
    expect(r).toMatchObject({
      ok: true,
      value: {
        inbound: { protocol: "imap", host: "outlook.office365.com", port: 993, security: "tls" },
        outbound: { protocol: "smtp", host: "smtp.office365.com", port: 587, security: "starttls" },
      },
    });
  });

  it("refuses a port out of range and warns about TLS on a STARTTLS port", () => {
    expect(validate({ inboundPort: "99999" })).toMatchObject({ ok: false, fieldErrors: { inboundPort: "Enter a port between 1 and 65535." } });
    const r = validate({ direction: "outbound", outboundProtocol: "smtp", outboundSecurity: "tls" });
    expect(r.ok).toBe(true);
    expect(r.warnings.outboundSecurity).toMatch(/STARTTLS/);
  });

  it("refuses a personal-account address on a work-only app, and app-only for it", () => {
    expect(validate({ address: "someone@hotmail.com" })).toMatchObject({ ok: false, fieldErrors: { address: expect.stringMatching(/personal Microsoft account/) } });
    const personalApp = { ...app, tenant: "consumers", audience: "personal_only" } as AppRegistrationView;
    const r = validate({ address: "someone@outlook.com", authMode: "app_only" }, personalApp);
    expect(r.ok).toBe(false);
  });

  it("refuses app-only mode on organizations/common", () => {
    const multi = { ...app, tenant: "organizations", audience: "multi_tenant" } as AppRegistrationView;
    expect(validate({ authMode: "app_only" }, multi)).toMatchObject({ ok: false, fieldErrors: { authMode: expect.stringMatching(/AADSTS9001023/) } });
  });

  it("shows EWS's retirement and offers Graph", () => {
    const r = validate({ inboundProtocol: "ews" });
    expect(r.ok).toBe(true);
    expect(r.warnings.inboundProtocol).toMatch(/disabled by default since 2026-10-01.*2027-04-01.*Graph/);
  });

  it("needs the protocol of each chosen direction", () => {
    expect(validate({ direction: "both" })).toMatchObject({ ok: false, fieldErrors: { outboundProtocol: expect.stringMatching(/SMTP/) } });
  });

  it("has no signing identity in app-only mode and drops one equal to the address", () => {
    expect(validate({ authMode: "app_only", signingIdentity: "agent@contoso.com" })).toMatchObject({ ok: false, fieldErrors: { signingIdentity: expect.any(String) } });
    expect(validate({ signingIdentity: "HELPDESK@contoso.com" })).toMatchObject({ ok: true, value: { signingIdentity: null } });
    expect(validate({ signingIdentity: "agent@contoso.com" })).toMatchObject({ ok: true, value: { signingIdentity: "agent@contoso.com" } });
  });

  it("parses tags", () => {
    expect(parseTags("Help desk, EU;eu")).toEqual({ tags: ["help desk", "eu"], error: null });
    expect(parseTags("ok, <script>").error).toMatch(/not a tag/);
  });
});
