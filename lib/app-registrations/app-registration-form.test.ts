import { describe, expect, it } from "vitest";
import { appRegistrationFormSchema, validateAppRegistrationForm } from "@/lib/app-registrations/app-registration-form";

const now = new Date("2026-11-20T00:00:00Z");
const base = {
  label: "Help desk",
  cloud: "global",
  tenant: "b3922080-3ce0-4dbb-b906-e7d97973bbe4",
  audience: "single_tenant",
  clientId: "5c1d92ab-7a3b-461a-b5ee-13aaec60c5ec",
  credentialType: "secret",
  clientSecret: "mDS2Q~L722.mykchcgGODfufbzgt6p0lcIuS4BHF",
  credentialExpiresAt: "2027-11-01",
};

function validate(overrides: Record<string, string>, existing: Parameters<typeof validateAppRegistrationForm>[1] = null) {
  return validateAppRegistrationForm(appRegistrationFormSchema.parse({ ...base, ...overrides }), existing, now);
}

describe("app registration form", () => {
  it("accepts a correct registration and normalises IDs", () => {
    const r = validate({ clientId: base.clientId.toUpperCase() });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.clientId).toBe(base.clientId);
      expect(r.value.clientSecret).toBe(base.clientSecret);
      expect(r.value.credentialExpiresAt?.toISOString().slice(0, 10)).toBe("2027-11-01");
    }
  });

  it("puts each classic mistake beside its field", () => {
    const r = validate({ clientId: "my-app", tenant: "common", clientSecret: "0c1b7f5e-31c6-4a6b-9a54-0b6b3f1f0c11" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors.clientId).toMatch(/Application \(client\) ID/);
    expect(r.fieldErrors.tenant).toMatch(/AADSTS50194/);
    expect(r.fieldErrors.clientSecret).toMatch(/secret's ID.*Value/);
  });

  it("warns about a secret expiring within 30 days without blocking", () => {
    const r = validate({ credentialExpiresAt: "2026-12-05" });
    expect(r.ok).toBe(true);
    expect(r.warnings.credentialExpiresAt).toMatch(/expires in 15 days/);
  });

  it("refuses an expired secret and a malformed date", () => {
    expect(validate({ credentialExpiresAt: "2026-01-01" })).toMatchObject({ ok: false, fieldErrors: { credentialExpiresAt: expect.stringMatching(/AADSTS7000222/) } });
    expect(validate({ credentialExpiresAt: "01/02/2027" })).toMatchObject({ ok: false, fieldErrors: { credentialExpiresAt: "Enter the date as YYYY-MM-DD." } });
  });

  it("keeps a stored secret when the field is left empty on edit, and needs one on create", () => {
    expect(validate({ clientSecret: "" }, { credentialType: "secret", hasSecret: true, hasCertificate: false })).toMatchObject({ ok: true, value: { clientSecret: null } });
    expect(validate({ clientSecret: "" })).toMatchObject({ ok: false, fieldErrors: { clientSecret: expect.any(String) } });
  });

  it("checks the custom cloud's hosts", () => {
    const r = validate({ cloud: "custom", customLoginHost: "https://login.example.com", customGraphHost: "graph.example.com" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.fieldErrors.customLoginHost).toMatch(/without https/);
      expect(r.fieldErrors.customExchangeResource).toBeDefined();
    }
  });

  it("requires the certificate and its key together", () => {
    const r = validate({ credentialType: "certificate", certificatePem: "-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----" });
    expect(r).toMatchObject({ ok: false, fieldErrors: { privateKeyPem: expect.stringMatching(/private key/) } });
  });
});
