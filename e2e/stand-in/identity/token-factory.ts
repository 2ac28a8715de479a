// Mints tokens with the claims Microsoft issues (reference §2.3, §7): v1 access tokens
// (iss sts.windows.net, aud = one resource, scp or roles), v2 ID tokens, client_info, and opaque
// access tokens for personal accounts (reference §7: "MSA tokens are opaque").
import crypto from "node:crypto";
import { randomBase64Url, newGuid } from "../crypto/ids";
import { signJwt } from "../crypto/jwt";
import type { SigningKey } from "../crypto/signing-key";
import type { RegisteredApp, ServicePrincipal, Tenant, User } from "../directory";
import type { Settings } from "../settings";
import type { IdentityState } from "./state";

export type AppIdAcr = "0" | "1" | "2";

export interface IssuedToken {
  token: string;
  expiresIn: number;
  claims: Record<string, unknown>;
}

// Directory role template IDs that appear in `wids`.
const GLOBAL_ADMIN_ROLE = "62e90394-69f5-4237-9190-012177145e10";
const DEFAULT_USER_ROLE = "b79fbf4d-3ef9-4689-8143-76b194e85509";
const APP_ROLE_WIDS = "0997a1d0-0d1d-4acb-b408-d5ca73121e90";

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** Issuer of v1 tokens (reference §2.3). */
export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

function opaqueBlob(): string {
  return `EwB${randomBase64Url(1100)}`;
}

/** Per-app pairwise subject, as Microsoft issues `sub`. */
function pairwiseSub(clientId: string, objectId: string): string {
  return crypto.createHash("sha256").update(`${clientId}|${objectId}`).digest("base64url").slice(0, 43);
}

function puid(objectId: string): string {
  return crypto.createHash("sha256").update(`puid|${objectId}`).digest("hex").slice(0, 16).toUpperCase();
}

export class TokenFactory {
  constructor(
    private readonly key: SigningKey,
    private readonly settings: () => Settings,
    private readonly identityBaseUrl: () => string,
    private readonly state: IdentityState,
  ) {}

  /** Signs arbitrary claims with the stand-in key (control API token minting only). */
  signRaw(payload: Record<string, unknown>): string {
    return this.sign(payload);
  }

  private sign(payload: Record<string, unknown>): string {
    return signJwt({ typ: "JWT", x5t: this.key.kid, kid: this.key.kid }, payload, this.key.privateKey, "RS256");
  }

  delegatedAccessToken(p: {
    tenant: Tenant;
    user: User;
    app: RegisteredApp;
    audience: string;
    scopes: string[];
    appidacr: AppIdAcr;
    authTime: number;
    sessionId: string;
    lifetimeSeconds?: number;
  }): IssuedToken {
    const lifetime = p.lifetimeSeconds ?? this.settings().accessTokenLifetimeSeconds;
    const iat = now();
    const claims: Record<string, unknown> = {
      aud: p.audience,
      iss: v1Issuer(p.tenant.id),
      iat,
      nbf: iat,
      exp: iat + lifetime,
      acct: 0,
      acr: "1",
      aio: randomBase64Url(60),
      amr: ["pwd"],
      app_displayname: p.app.displayName,
      appid: p.app.clientId,
      appidacr: p.appidacr,
      auth_time: p.authTime,
      family_name: p.user.surname,
      given_name: p.user.givenName,
      idtyp: "user",
      ipaddr: "127.0.0.1",
      name: p.user.displayName,
      oid: p.user.id,
      puid: puid(p.user.id),
      rh: `1.A${randomBase64Url(40)}.`,
      scp: p.scopes.join(" "),
      sid: p.sessionId,
      sub: pairwiseSub(p.app.clientId, p.user.id),
      tid: p.tenant.id,
      unique_name: p.user.upn,
      upn: p.user.upn,
      uti: randomBase64Url(16),
      ver: "1.0",
      wids: p.user.isAdmin ? [GLOBAL_ADMIN_ROLE, DEFAULT_USER_ROLE] : [DEFAULT_USER_ROLE],
    };
    if (p.tenant.kind === "consumers") return this.opaque(claims, lifetime);
    return { token: this.sign(claims), expiresIn: lifetime, claims };
  }

  appAccessToken(p: { tenant: Tenant; app: RegisteredApp; sp: ServicePrincipal; audience: string; roles: string[]; appidacr: AppIdAcr }): IssuedToken {
    const lifetime = this.settings().accessTokenLifetimeSeconds;
    const iat = now();
    const claims: Record<string, unknown> = {
      aud: p.audience,
      iss: v1Issuer(p.tenant.id),
      iat,
      nbf: iat,
      exp: iat + lifetime,
      aio: randomBase64Url(60),
      app_displayname: p.app.displayName,
      appid: p.app.clientId,
      appidacr: p.appidacr,
      idp: v1Issuer(p.tenant.id),
      idtyp: "app",
      // Reference §4: an app-only token's oid is the service principal's object ID.
      oid: p.sp.objectId,
      rh: `1.A${randomBase64Url(40)}.`,
      sub: p.sp.objectId,
      tid: p.tenant.id,
      uti: randomBase64Url(16),
      ver: "1.0",
      wids: [APP_ROLE_WIDS],
    };
    // Microsoft omits `roles` when the app holds no application permission on the resource.
    if (p.roles.length > 0) claims.roles = p.roles;
    return { token: this.sign(claims), expiresIn: lifetime, claims };
  }

  private opaque(claims: Record<string, unknown>, lifetime: number): IssuedToken {
    const token = opaqueBlob();
    this.state.opaqueTokens.set(token, { claims, expiresAt: Date.now() + lifetime * 1000 });
    return { token, expiresIn: lifetime, claims };
  }

  /** v2 ID token (reference §7): tid + oid, preferred_username, email, name, nonce. */
  idToken(p: { tenant: Tenant; user: User; app: RegisteredApp; nonce?: string; authTime: number; sessionId: string; scopes: string[] }): string {
    const iat = now();
    const claims: Record<string, unknown> = {
      aud: p.app.clientId,
      iss: `${this.identityBaseUrl()}/${p.tenant.id}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + this.settings().idTokenLifetimeSeconds,
      auth_time: p.authTime,
    };
    if (p.scopes.includes("email") && p.user.mail) claims.email = p.user.mail;
    if (p.scopes.includes("profile")) claims.name = p.user.displayName;
    if (p.nonce !== undefined) claims.nonce = p.nonce;
    claims.oid = p.user.id;
    if (p.scopes.includes("profile")) claims.preferred_username = p.user.upn;
    claims.rh = `1.A${randomBase64Url(40)}.`;
    claims.sid = p.sessionId;
    claims.sub = pairwiseSub(p.app.clientId, p.user.id);
    claims.tid = p.tenant.id;
    claims.uti = randomBase64Url(16);
    claims.ver = "2.0";
    return this.sign(claims);
  }

  /** base64url JSON {uid, utid}, which MSAL needs in AAD protocol mode (toolchain notes). */
  clientInfo(user: User): string {
    return Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId }), "utf8").toString("base64url");
  }

  newSessionId(): string {
    return newGuid();
  }
}
