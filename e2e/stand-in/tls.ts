// TLS material generated at start-up with the openssl CLI: a CA, a leaf certificate for the
// stand-in's hosts (shared with the mail servers), self-signed certificates for the token signing
// key and for app credentials, and a CA bundle for NODE_EXTRA_CA_CERTS.
import { execFile } from "node:child_process";
import crypto, { X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Hostnames the leaf certificate covers besides 127.0.0.1/::1 (any *.localhost name resolves to loopback in browsers). */
export const LEAF_DNS_NAMES = [
  "localhost",
  "stand-in.localhost",
  "login.stand-in.localhost",
  "graph.stand-in.localhost",
  "outlook.stand-in.localhost",
  "smtp.stand-in.localhost",
];

const SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
const BUNDLE_MARKER = "# --- Mailbox OAuth Portal stand-in CA ---";

export interface PemFiles {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

export interface CertificateCredential extends PemFiles {
  /** Hex thumbprints, as MSAL's clientCertificate.thumbprint / thumbprintSha256 expect. */
  thumbprintSha1Hex: string;
  thumbprintSha256Hex: string;
  /** base64 DER, for x5c. */
  derBase64: string;
}

async function openssl(args: string[]): Promise<void> {
  await run("openssl", args, { timeout: 20_000 });
}

function readPem(certPath: string, keyPath: string): PemFiles {
  return { certPath, keyPath, certPem: fs.readFileSync(certPath, "utf8"), keyPem: fs.readFileSync(keyPath, "utf8") };
}

function describe(files: PemFiles): CertificateCredential {
  const x509 = new X509Certificate(files.certPem);
  return {
    ...files,
    thumbprintSha1Hex: x509.fingerprint.replaceAll(":", ""),
    thumbprintSha256Hex: x509.fingerprint256.replaceAll(":", ""),
    derBase64: x509.raw.toString("base64"),
  };
}

function stillValidFor(certPath: string, ms: number): boolean {
  try {
    const x509 = new X509Certificate(fs.readFileSync(certPath));
    return new Date(x509.validTo).getTime() - Date.now() > ms;
  } catch {
    return false;
  }
}

/**
 * The stand-in CA. With reuse, an existing CA with more than a day of validity left is kept, so a
 * NODE_EXTRA_CA_CERTS bundle (or a browser profile) made for an earlier run keeps working.
 */
export async function ensureCa(dir: string, reuse: boolean): Promise<PemFiles> {
  fs.mkdirSync(dir, { recursive: true });
  const certPath = path.join(dir, "ca.pem");
  const keyPath = path.join(dir, "ca.key");
  if (reuse && fs.existsSync(keyPath) && stillValidFor(certPath, 24 * 3600_000)) return readPem(certPath, keyPath);
  const stamp = new Date().toISOString().slice(0, 19);
  await openssl([
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "30",
    "-keyout", keyPath, "-out", certPath,
    "-subj", `/O=Mailbox OAuth Portal tests/CN=Mailbox OAuth Portal stand-in CA ${stamp}`,
    "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    "-addext", "subjectKeyIdentifier=hash",
  ]);
  fs.chmodSync(keyPath, 0o600);
  return readPem(certPath, keyPath);
}

/** A server certificate for 127.0.0.1, ::1, localhost and LEAF_DNS_NAMES, signed by the CA. */
export async function issueLeafCertificate(dir: string, ca: PemFiles, extraDnsNames: string[] = []): Promise<PemFiles> {
  fs.mkdirSync(dir, { recursive: true });
  const certPath = path.join(dir, "leaf.pem");
  const keyPath = path.join(dir, "leaf.key");
  const csrPath = path.join(dir, "leaf.csr");
  const extPath = path.join(dir, "leaf.ext");
  const dns = [...new Set([...LEAF_DNS_NAMES, ...extraDnsNames])];
  const san = [...dns.map((d) => `DNS:${d}`), "IP:127.0.0.1", "IP:::1"].join(",");
  fs.writeFileSync(
    extPath,
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      `subjectAltName=${san}`,
      "subjectKeyIdentifier=hash",
      "authorityKeyIdentifier=keyid",
      "",
    ].join("\n"),
  );
  await openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", csrPath, "-subj", "/CN=stand-in.localhost"]);
  await openssl([
    "x509", "-req", "-in", csrPath, "-CA", ca.certPath, "-CAkey", ca.keyPath,
    "-set_serial", `0x${crypto.randomBytes(12).toString("hex")}`, "-days", "30", "-sha256",
    "-extfile", extPath, "-out", certPath,
  ]);
  fs.chmodSync(keyPath, 0o600);
  fs.rmSync(csrPath, { force: true });
  return readPem(certPath, keyPath);
}

/** A self-signed certificate + key (token signing key, app certificate credentials). */
export async function selfSignedCertificate(dir: string, name: string, subject: string): Promise<CertificateCredential> {
  fs.mkdirSync(dir, { recursive: true });
  const certPath = path.join(dir, `${name}.pem`);
  const keyPath = path.join(dir, `${name}.key`);
  await openssl([
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "365",
    "-keyout", keyPath, "-out", certPath, "-subj", subject.startsWith("/") ? subject : `/${subject}`,
  ]);
  fs.chmodSync(keyPath, 0o600);
  return describe(readPem(certPath, keyPath));
}

/**
 * bundle = existing extra-CA file (or the system bundle) + our CA. NODE_EXTRA_CA_CERTS takes one
 * file (toolchain notes), so we append to a copy. A bundle written by an earlier run is never used
 * as the base, or our CA would pile up.
 */
export function writeCaBundle(bundlePath: string, caPem: string, existingExtraCaFile: string | undefined): void {
  let base = "";
  const candidates = [existingExtraCaFile, SYSTEM_BUNDLE].filter((p): p is string => Boolean(p));
  for (const candidate of candidates) {
    if (path.resolve(candidate) === path.resolve(bundlePath) || !fs.existsSync(candidate)) continue;
    const text = fs.readFileSync(candidate, "utf8");
    if (text.includes(BUNDLE_MARKER)) continue;
    base = text;
    break;
  }
  const body = `${base.trimEnd()}${base ? "\n" : ""}${BUNDLE_MARKER}\n${caPem.trim()}\n`;
  fs.writeFileSync(bundlePath, body);
}
