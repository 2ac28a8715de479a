// RS256 access tokens shaped like Exchange Online's v1.0 tokens (reference §2.3, §7), signed with
// a throwaway key pair; verify() plays the caller's verifyAccessToken (signature + expiry).
import crypto from "node:crypto";

export type Claims = Record<string, unknown>;

export const TENANT_ID = "9f3c1f0e-5a4b-4c2d-8e7f-000000000001";
const CLIENT_ID = "0b8e6c1a-2d3f-4e5a-9b7c-000000000002";

export interface TokenIssuer {
  sign(claims: Claims): string;
  verify(token: string): Promise<Claims | null>;
}

export function createTokenIssuer(): TokenIssuer {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    sign: (claims) => signJwt(privateKey, claims),
    verify: async (token) => verifyJwt(publicKey, token),
  };
}

export function signJwt(key: crypto.KeyObject, claims: Claims): string {
  const header = base64url(JSON.stringify({ typ: "JWT", alg: "RS256", kid: "test" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = crypto.sign("sha256", Buffer.from(`${header}.${payload}`), key).toString("base64url");
  return `${header}.${payload}.${signature}`;
}

function verifyJwt(key: crypto.KeyObject, token: string): Claims | null {
  const [header, payload, signature] = token.split(".");
  if (header === undefined || payload === undefined || signature === undefined) return null;
  const alg: unknown = JSON.parse(Buffer.from(header, "base64url").toString("utf8")).alg;
  if (alg !== "RS256") return null;
  if (!crypto.verify("sha256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url"))) return null;
  const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  if (typeof claims !== "object" || claims === null) return null;
  const exp = (claims as Claims)["exp"];
  return typeof exp === "number" && exp * 1000 > Date.now() ? (claims as Claims) : null;
}

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

const now = () => Math.floor(Date.now() / 1000);

export function delegatedClaims(options: { upn: string; oid: string; scp: string; aud?: string; expiresIn?: number }): Claims {
  const iat = now() - 60;
  return {
    aud: options.aud ?? "https://outlook.office.com",
    iss: `https://sts.windows.net/${TENANT_ID}/`,
    iat,
    nbf: iat,
    exp: now() + (options.expiresIn ?? 3600),
    appid: CLIENT_ID,
    oid: options.oid,
    scp: options.scp,
    tid: TENANT_ID,
    unique_name: options.upn,
    upn: options.upn,
    ver: "1.0",
  };
}

export function appOnlyClaims(options: { oid: string; roles: string[]; aud?: string; expiresIn?: number }): Claims {
  const iat = now() - 60;
  return {
    aud: options.aud ?? "https://outlook.office365.com",
    iss: `https://sts.windows.net/${TENANT_ID}/`,
    iat,
    nbf: iat,
    exp: now() + (options.expiresIn ?? 3600),
    appid: CLIENT_ID,
    idtyp: "app",
    oid: options.oid,
    roles: options.roles,
    tid: TENANT_ID,
    ver: "1.0",
  };
}

/** The SASL XOAUTH2 initial response (reference §3). */
export function xoauth2(user: string, token: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`, "utf8").toString("base64");
}
