import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCertificatePem, parsePrivateKeyPem } from "@/lib/microsoft/certificate";
import { clouds } from "@/lib/microsoft/clouds";
import {
  checkCertificateCredential,
  checkClientId,
  checkClientSecret,
  checkEnterpriseAppObjectId,
  checkMailboxAddressForApp,
  checkModeForTenant,
  checkPort,
  checkPortSecurity,
  checkProtocolForMode,
  checkRedirectUri,
  checkSecretExpiry,
  checkTenant,
  checkTenantForAudience,
  isGuid,
} from "@/lib/microsoft/config-checks";
import { isPersonalAccountDomain } from "@/lib/microsoft/personal-account-domains";

const NOW = new Date("2026-11-20T12:00:00Z");
const CLIENT_ID = "a6c42eea-f4c4-4984-be15-c0e72f4d0357";

describe("IDs and secrets", () => {
  it("isGuid", () => {
    expect(isGuid(CLIENT_ID)).toBe(true);
    expect(isGuid(" A6C42EEA-F4C4-4984-BE15-C0E72F4D0357 ")).toBe(true);
    expect(isGuid("a6c42eea-f4c4-4984-be15")).toBe(false);
    expect(checkClientId("my-app")?.message).toMatch(/Application \(client\) ID/);
    expect(checkClientId(CLIENT_ID)).toBeNull();
  });

  it("a secret shaped like a GUID is the Secret ID", () => {
    expect(checkClientSecret("8a0a71d5-c1a9-4446-9fb3-1e2ca60d36ac")).toEqual({
      code: "secret_is_secret_id",
      severity: "error",
      field: "clientSecret",
      message: "This looks like the secret's ID. Copy the secret's Value column instead; Azure shows it only once, right after you create the secret.",
    });
    expect(checkClientSecret("duh0Q~I_lr-eZ7g1G6yBrUTehT2PezrBpWjXhQ_C")).toBeNull();
    expect(checkClientSecret("duh0Q~I_lr-eZ7g1G6yBrUTehT2PezrBpWjXhQ_C\n")?.code).toBe("secret_whitespace");
    expect(checkClientSecret("")?.code).toBe("secret_empty");
  });

  it("tenant values and the client ID pasted as tenant", () => {
    expect(checkTenant("contoso")?.code).toBe("tenant_invalid");
    expect(checkTenant(CLIENT_ID, { clientId: CLIENT_ID })?.code).toBe("tenant_is_client_id");
    expect(checkTenant("organizations")).toBeNull();
  });

  it("enterprise app object ID: not the client ID, not the app registration's object ID", () => {
    expect(checkEnterpriseAppObjectId(CLIENT_ID, { clientId: CLIENT_ID })?.code).toBe("object_id_is_client_id");
    expect(checkEnterpriseAppObjectId("11111111-2222-3333-4444-555555555555", { appRegistrationObjectId: "11111111-2222-3333-4444-555555555555" })?.message).toMatch(/Enterprise applications/);
    expect(checkEnterpriseAppObjectId("95aa62ea-1af4-4ce9-9e54-1f57195f62ae", { clientId: CLIENT_ID })).toBeNull();
    expect(checkEnterpriseAppObjectId("", {})).toBeNull();
  });
});

describe("tenant, audience and mode (reference §1.2, §8)", () => {
  it("single-tenant apps need their tenant (AADSTS50194)", () => {
    for (const t of ["common", "organizations", "consumers"]) expect(checkTenantForAudience(t, "single_tenant")?.message).toMatch(/AADSTS50194/);
    expect(checkTenantForAudience("contoso.com", "single_tenant")).toBeNull();
  });

  it("work-only apps can't use consumers; personal-only apps must; common on a work-only app is a warning", () => {
    expect(checkTenantForAudience("consumers", "multi_tenant")?.message).toMatch(/AADSTS9002332/);
    expect(checkTenantForAudience("organizations", "personal_only")?.code).toBe("personal_app_not_on_consumers");
    expect(checkTenantForAudience("common", "multi_tenant")?.severity).toBe("warning");
    expect(checkTenantForAudience("common", "multi_tenant_and_personal")).toBeNull();
  });

  it("app-only needs a specific work tenant", () => {
    expect(checkModeForTenant("app_only", "consumers")?.code).toBe("app_only_personal");
    expect(checkModeForTenant("app_only", "9188040d-6c67-4c5b-b112-36a304b66dad")?.code).toBe("app_only_personal");
    expect(checkModeForTenant("app_only", "organizations")?.message).toMatch(/AADSTS9001023/);
    expect(checkModeForTenant("app_only", "contoso.com")).toBeNull();
    expect(checkModeForTenant("delegated", "consumers")).toBeNull();
  });

  it("personal-account domains, regional variants included", () => {
    for (const d of ["outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "outlook.de", "live.co.uk", "live.com.au", "hotmail.fr", "sam@Outlook.COM"]) {
      expect(isPersonalAccountDomain(d)).toBe(true);
    }
    for (const d of ["contoso.com", "outlook.contoso.com", "mylive.com", "live-music.com", "contoso.onmicrosoft.com", "outlook.office365.com"]) {
      expect(isPersonalAccountDomain(d)).toBe(false);
    }
  });

  it("a personal address on a work-only app, or in app-only mode, is refused", () => {
    expect(checkMailboxAddressForApp("sam.taylor@outlook.com", { audience: "multi_tenant", tenant: "organizations", mode: "delegated" })?.code).toBe("personal_mailbox_work_app");
    expect(checkMailboxAddressForApp("sam.taylor@hotmail.co.uk", { audience: "multi_tenant_and_personal", tenant: "contoso.com", mode: "delegated" })?.code).toBe("personal_mailbox_work_app");
    expect(checkMailboxAddressForApp("sam.taylor@outlook.com", { audience: "multi_tenant_and_personal", tenant: "common", mode: "app_only" })?.code).toBe("personal_mailbox_app_only");
    expect(checkMailboxAddressForApp("sam.taylor@outlook.com", { audience: "multi_tenant_and_personal", tenant: "common", mode: "delegated" })).toBeNull();
    expect(checkMailboxAddressForApp("adele@contoso.com", { audience: "single_tenant", tenant: "contoso.com", mode: "app_only" })).toBeNull();
  });

  it("protocol impossible in the mode", () => {
    expect(checkProtocolForMode("ews", "delegated", { personalAccount: true })?.message).toMatch(/no EWS/);
    expect(checkProtocolForMode("imap", "app_only", { personalAccount: false, endpoints: clouds.global })).toBeNull();
  });
});

describe("ports", () => {
  it("range and TLS/STARTTLS mismatches", () => {
    expect(checkPort(0)?.code).toBe("port_out_of_range");
    expect(checkPort(65536)?.code).toBe("port_out_of_range");
    expect(checkPort(993.5)?.code).toBe("port_out_of_range");
    expect(checkPort(993)).toBeNull();
    expect(checkPortSecurity("imap", 993, "starttls")?.severity).toBe("warning");
    expect(checkPortSecurity("smtp", 587, "tls")?.message).toMatch(/STARTTLS/);
    expect(checkPortSecurity("smtp", 587, "starttls")).toBeNull();
  });
});

describe("secret expiry (field lessons #3, reference §5)", () => {
  it("expired is an error, within 30 days a warning, beyond 24 months a warning", () => {
    expect(checkSecretExpiry(new Date("2026-11-19T00:00:00Z"), NOW)).toMatchObject({ code: "secret_expired", severity: "error" });
    expect(checkSecretExpiry(new Date("2026-11-20T12:00:00Z"), NOW)?.code).toBe("secret_expired");
    expect(checkSecretExpiry(new Date("2026-12-20T12:00:00Z"), NOW)).toMatchObject({ code: "secret_expiring", severity: "warning" });
    expect(checkSecretExpiry(new Date("2026-11-21T12:00:00Z"), NOW)?.message).toMatch(/expires in 1 day, on 2026-11-21/);
    expect(checkSecretExpiry(new Date("2026-12-20T12:00:01Z"), NOW)).toBeNull();
    expect(checkSecretExpiry(new Date("2099-12-31T00:00:00Z"), NOW)?.code).toBe("secret_expiry_beyond_cap");
    expect(checkSecretExpiry(null, NOW)?.severity).toBe("warning");
  });
});

describe("redirect URI", () => {
  it("https anywhere, http only on localhost, no fragment, same origin as the browser", () => {
    expect(checkRedirectUri("https://portal.example.com/oauth/callback")).toEqual([]);
    expect(checkRedirectUri("http://localhost:3000/oauth/callback")).toEqual([]);
    expect(checkRedirectUri("http://portal.example.com/oauth/callback")[0]?.message).toMatch(/X-Forwarded-Proto/);
    expect(checkRedirectUri("https://portal.example.com/oauth/callback#x")[0]?.code).toBe("redirect_uri_fragment");
    expect(checkRedirectUri("oauth/callback")[0]?.code).toBe("redirect_uri_invalid");
    expect(checkRedirectUri("https://portal.example.com/oauth/callback", { browsingOrigin: "https://10.0.0.5:3000/settings" })[0]).toMatchObject({ code: "redirect_uri_other_origin", severity: "warning" });
  });
});

describe("certificate credentials", () => {
  let dir: string;
  const read = (name: string): string => fs.readFileSync(path.join(dir, name), "utf8");
  const openssl = (...args: string[]): string => execFileSync("openssl", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cert-check-"));
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "365", "-subj", "/CN=Portal test");
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other-key.pem");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ec-key.pem", "-out", "ec-cert.pem", "-days", "365", "-subj", "/CN=EC test");
    openssl("pkcs8", "-topk8", "-in", "key.pem", "-out", "encrypted-key.pem", "-passout", "pass:secret");
  });

  it("thumbprints match openssl's, as hex upper case and base64url", () => {
    const parsed = parseCertificatePem(read("cert.pem"));
    if (!parsed.ok) throw new Error(parsed.message);
    const sha1 = openssl("x509", "-in", "cert.pem", "-noout", "-fingerprint", "-sha1").trim().split("=")[1]!.replace(/:/g, "");
    const sha256 = openssl("x509", "-in", "cert.pem", "-noout", "-fingerprint", "-sha256").trim().split("=")[1]!.replace(/:/g, "");
    expect(parsed.certificate.thumbprintSha1Hex).toBe(sha1);
    expect(parsed.certificate.thumbprintSha256Hex).toBe(sha256);
    expect(parsed.certificate.x5t).toBe(Buffer.from(sha1, "hex").toString("base64url"));
    expect(parsed.certificate.x5tS256).toBe(Buffer.from(sha256, "hex").toString("base64url"));
    expect(parsed.certificate.subject).toBe("CN=Portal test");
    expect(parsed.certificate.keyType).toBe("rsa");
    expect(parsed.certificate.keyBits).toBe(2048);
    const notAfter = openssl("x509", "-in", "cert.pem", "-noout", "-enddate").trim().split("=")[1]!;
    expect(parsed.certificate.notAfter.getTime()).toBe(new Date(notAfter).getTime());
  });

  it("a matching pair passes; a foreign key, an EC certificate, an encrypted key and swapped fields are explained", () => {
    const now = new Date();
    expect(checkCertificateCredential({ certificatePem: read("cert.pem"), privateKeyPem: read("key.pem"), now }).issues).toEqual([]);
    expect(checkCertificateCredential({ certificatePem: read("cert.pem"), privateKeyPem: read("other-key.pem"), now }).issues.map((i) => i.code)).toEqual(["private_key_mismatch"]);
    expect(checkCertificateCredential({ certificatePem: read("ec-cert.pem"), privateKeyPem: read("ec-key.pem"), now }).issues.map((i) => i.code)).toEqual(["certificate_not_rsa"]);
    expect(parsePrivateKeyPem(read("encrypted-key.pem"))).toMatchObject({ ok: false, message: expect.stringMatching(/encrypted/) });
    const swapped = checkCertificateCredential({ certificatePem: read("key.pem"), privateKeyPem: read("cert.pem"), now });
    expect(swapped.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^This is a private key/), expect.stringMatching(/^This is a certificate/)]);
  });

  it("expiry of the certificate: warning within 30 days, error after", () => {
    const pem = read("cert.pem");
    const cert = parseCertificatePem(pem);
    if (!cert.ok) throw new Error(cert.message);
    const in10Days = new Date(cert.certificate.notAfter.getTime() - 10 * 24 * 3600 * 1000);
    expect(checkCertificateCredential({ certificatePem: pem, privateKeyPem: read("key.pem"), now: in10Days }).issues.map((i) => i.code)).toEqual(["certificate_expiring"]);
    const after = new Date(cert.certificate.notAfter.getTime() + 1000);
    expect(checkCertificateCredential({ certificatePem: pem, privateKeyPem: read("key.pem"), now: after }).issues.map((i) => i.code)).toEqual(["certificate_expired"]);
  });
});
