import { constants, createHash, generateKeyPairSync, verify, X509Certificate } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildClientAssertion } from "@/lib/microsoft/client-assertion";
import { parseRetryAfter } from "@/lib/microsoft/token-endpoint";

function selfSigned(): { certificatePem: string; privateKeyPem: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assertion-"));
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "k.pem"), "-out", path.join(dir, "c.pem"), "-days", "2", "-subj", "/CN=assertion test"], { stdio: "ignore" });
    return { certificatePem: fs.readFileSync(path.join(dir, "c.pem"), "utf8"), privateKeyPem: fs.readFileSync(path.join(dir, "k.pem"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const part = (jwt: string, i: number) => JSON.parse(Buffer.from(jwt.split(".")[i]!, "base64url").toString("utf8")) as Record<string, unknown>;

describe("buildClientAssertion (reference §5)", () => {
  const cert = selfSigned();
  const tokenUrl = "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token";

  it("PS256 with x5t#S256 of the certificate; aud = token URL, iss = sub = client ID, jti, 10-minute window; verifies with the certificate's key", () => {
    const now = new Date("2026-05-01T10:00:00Z");
    const result = buildClientAssertion({ clientId: "client-1", tokenUrl, ...cert, now });
    if (!result.ok) throw new Error(result.message);
    const header = part(result.assertion, 0);
    const der = new X509Certificate(cert.certificatePem).raw;
    expect(header).toEqual({ alg: "PS256", typ: "JWT", "x5t#S256": createHash("sha256").update(der).digest("base64url") });
    const claims = part(result.assertion, 1);
    expect(claims).toMatchObject({ aud: tokenUrl, iss: "client-1", sub: "client-1", nbf: 1777629600, exp: 1777629600 + 600 });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    const [h, p, s] = result.assertion.split(".");
    const ok = verify("sha256", Buffer.from(`${h}.${p}`), { key: new X509Certificate(cert.certificatePem).publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(s!, "base64url"));
    expect(ok).toBe(true);
    const other = buildClientAssertion({ clientId: "client-1", tokenUrl, ...cert, now });
    expect(other.ok && part(other.assertion, 1).jti).not.toBe(claims.jti);
  });

  it("x5c only when asked", () => {
    const result = buildClientAssertion({ clientId: "c", tokenUrl, ...cert, sendCertificateChain: true });
    expect(result.ok && (part(result.assertion, 0).x5c as string[])[0]).toMatch(/^MII/);
  });

  it("refuses an EC key and an encrypted or missing key, without echoing the key", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const result = buildClientAssertion({ clientId: "c", tokenUrl, certificatePem: cert.certificatePem, privateKeyPem: ec });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/RSA/) });
    expect(buildClientAssertion({ clientId: "c", tokenUrl, certificatePem: cert.certificatePem, privateKeyPem: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nabc" }).ok).toBe(false);
    const missing = buildClientAssertion({ clientId: "c", tokenUrl, certificatePem: cert.privateKeyPem, privateKeyPem: cert.privateKeyPem });
    expect(missing.ok).toBe(false);
    expect(JSON.stringify(missing)).not.toContain(cert.privateKeyPem.split("\n")[1]!);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    const now = new Date("2026-05-01T10:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7);
    expect(parseRetryAfter("Fri, 01 May 2026 10:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Fri, 01 May 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
