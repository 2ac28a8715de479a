import { createHash, createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";

// Certificate credentials (reference §5): thumbprints as the Azure portal shows them (hex, upper case) and
// as JWT headers carry them (x5t = base64url SHA-1, x5t#S256 = base64url SHA-256), expiry, and whether the
// private key belongs to the certificate.

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-1 of the DER certificate, upper-case hex without separators: the "Thumbprint" column in the portal. */
  thumbprintSha1Hex: string;
  thumbprintSha256Hex: string;
  /** base64url SHA-1 thumbprint: the x5t header of RS256 assertions. */
  x5t: string;
  /** base64url SHA-256 thumbprint: the x5t#S256 header of PS256 assertions. */
  x5tS256: string;
  /** Public key algorithm ("rsa", "ec", …) and size in bits where known. */
  keyType: string;
  keyBits: number | null;
  /** The PEM of this (first) certificate only. */
  pem: string;
}

export type CertificateParseResult = { ok: true; certificate: CertificateInfo } | { ok: false; message: string };

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** Parses the first certificate of a PEM (a chain may follow it). */
export function parseCertificatePem(pem: string): CertificateParseResult {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem) && !CERT_BLOCK.test(pem)) {
    return { ok: false, message: "This is a private key. Paste the certificate (-----BEGIN CERTIFICATE-----) here and the key in the private key field." };
  }
  const block = CERT_BLOCK.exec(pem)?.[0];
  if (!block) return { ok: false, message: "Paste the certificate in PEM format: the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----." };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(block);
  } catch {
    return { ok: false, message: "The certificate could not be read. Paste the whole PEM block unchanged, or convert a .cer/.crt file with: openssl x509 -inform der -in cert.cer -out cert.pem" };
  }
  const der = cert.raw;
  const sha1 = createHash("sha1").update(der).digest();
  const sha256 = createHash("sha256").update(der).digest();
  const details = cert.publicKey.asymmetricKeyDetails;
  return {
    ok: true,
    certificate: {
      subject: cert.subject.replace(/\n/g, ", "),
      issuer: cert.issuer.replace(/\n/g, ", "),
      serialNumber: cert.serialNumber,
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
      thumbprintSha1Hex: sha1.toString("hex").toUpperCase(),
      thumbprintSha256Hex: sha256.toString("hex").toUpperCase(),
      x5t: sha1.toString("base64url"),
      x5tS256: sha256.toString("base64url"),
      keyType: cert.publicKey.asymmetricKeyType ?? "unknown",
      keyBits: details?.modulusLength ?? null,
      pem: block,
    },
  };
}

export type PrivateKeyParseResult = { ok: true; key: KeyObject } | { ok: false; message: string };

export function parsePrivateKeyPem(pem: string): PrivateKeyParseResult {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem) || /Proc-Type: 4,ENCRYPTED/.test(pem)) {
    return { ok: false, message: "The private key is encrypted with a passphrase. Paste it unencrypted (openssl pkey -in key.pem -out key-plain.pem); the portal encrypts it at rest." };
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return {
      ok: false,
      message: CERT_BLOCK.test(pem)
        ? "This is a certificate. Paste the private key (-----BEGIN PRIVATE KEY-----) here and the certificate in the certificate field."
        : "Paste the private key in PEM format: the text from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----.",
    };
  }
  try {
    return { ok: true, key: createPrivateKey(pem) };
  } catch {
    return { ok: false, message: "The private key could not be read. Paste the whole PEM block unchanged (PKCS#8 or PKCS#1 RSA)." };
  }
}

/** Whether the private key is the one the certificate's public key belongs to. */
export function privateKeyMatchesCertificate(certificatePem: string, privateKey: KeyObject): boolean {
  const block = CERT_BLOCK.exec(certificatePem)?.[0];
  if (!block) return false;
  try {
    return new X509Certificate(block).checkPrivateKey(privateKey);
  } catch {
    return false;
  }
}
