import { constants, randomUUID, sign } from "node:crypto";
import { parseCertificatePem, parsePrivateKeyPem } from "@/lib/microsoft/certificate";

// Certificate client credential (reference §5, [E13]): a JWT signed with the certificate's private key,
// sent as client_assertion with client_assertion_type jwt-bearer. Header PS256 + x5t#S256 (the older
// RS256 + SHA-1 x5t is not used); claims aud = the token URL, iss = sub = client ID, a fresh jti, nbf now,
// exp 10 minutes ahead (the reference allows 5–10). The assertion is a credential: never log it.

export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

const LIFETIME_SECONDS = 600;

export interface ClientAssertionInput {
  clientId: string;
  /** The exact token endpoint URL the assertion is sent to (its aud). */
  tokenUrl: string;
  certificatePem: string;
  privateKeyPem: string;
  /** Put the certificate in x5c (subject name + issuer authentication). */
  sendCertificateChain?: boolean;
  now?: Date;
}

export type ClientAssertionResult = { ok: true; assertion: string } | { ok: false; message: string };

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
}

/** Builds a signed assertion, or says (without the key) why the certificate or key can't be used. */
export function buildClientAssertion(input: ClientAssertionInput): ClientAssertionResult {
  const certificate = parseCertificatePem(input.certificatePem);
  if (!certificate.ok) return { ok: false, message: certificate.message };
  const key = parsePrivateKeyPem(input.privateKeyPem);
  if (!key.ok) return { ok: false, message: key.message };
  if (key.key.asymmetricKeyType !== "rsa") return { ok: false, message: "The private key must be an RSA key: Microsoft signs certificate assertions with PS256." };

  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const header = {
    alg: "PS256",
    typ: "JWT",
    "x5t#S256": certificate.certificate.x5tS256,
    ...(input.sendCertificateChain ? { x5c: [pemBody(certificate.certificate.pem)] } : {}),
  };
  const payload = {
    aud: input.tokenUrl,
    iss: input.clientId,
    sub: input.clientId,
    jti: randomUUID(),
    nbf: nowSeconds,
    iat: nowSeconds,
    exp: nowSeconds + LIFETIME_SECONDS,
  };
  const signingInput = `${base64urlJson(header)}.${base64urlJson(payload)}`;
  // PS256: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a salt as long as the hash (RFC 7518 §3.5).
  const signature = sign("sha256", Buffer.from(signingInput, "ascii"), {
    key: key.key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  });
  return { ok: true, assertion: `${signingInput}.${signature.toString("base64url")}` };
}
