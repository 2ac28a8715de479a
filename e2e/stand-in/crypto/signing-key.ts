// The token signing key, published in the JWKS the way Microsoft does: kid = x5t (base64url
// SHA-1 thumbprint of the key's certificate), x5c with that certificate.
import crypto, { type KeyObject } from "node:crypto";
import type { CertificateCredential } from "../tls";

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** JWK without the per-tenant `issuer` member. */
  jwk: Record<string, unknown>;
}

export function createSigningKey(cert: CertificateCredential): SigningKey {
  const privateKey = crypto.createPrivateKey(cert.keyPem);
  const publicKey = crypto.createPublicKey(privateKey);
  const kid = Buffer.from(cert.thumbprintSha1Hex, "hex").toString("base64url");
  const { n, e } = publicKey.export({ format: "jwk" });
  return {
    kid,
    privateKey,
    publicKey,
    jwk: { kty: "RSA", use: "sig", kid, x5t: kid, n, e, x5c: [cert.derBase64], cloud_instance_name: "microsoftonline.com" },
  };
}
