import https from "node:https";
import tls from "node:tls";
import { explainMicrosoftError, type MicrosoftErrorInput } from "@/lib/microsoft/aadsts-catalog";
import type { AppCredential } from "@/lib/microsoft/acquire-app-token";
import { identityEndpointUrls, tenantKind } from "@/lib/microsoft/authority";
import { buildClientAssertion, JWT_BEARER_ASSERTION_TYPE } from "@/lib/microsoft/client-assertion";
import type { CloudEndpoints } from "@/lib/microsoft/clouds";
import { decodeJwtClaims } from "@/lib/microsoft/decode-jwt-claims";
import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";

// Raw OAuth 2.0 token requests for delegated grants (authorization code and refresh token) to
// https://{loginHost}/{tenant}/oauth2/v2.0/token (reference §1.1), without MSAL: the portal must see and keep
// the rotated refresh token of every answer itself (reference §5; field lessons #1), which MSAL's cache hides.
// Pure: no database. The credential, code, verifier and tokens go into the request body only; a failure
// carries Microsoft's explanation (reference §6) and never the request.

export interface TokenRequestBase {
  endpoints: CloudEndpoints;
  /** The authority's tenant segment: GUID, domain, organizations, common or consumers (reference §1.2). */
  tenant: string;
  clientId: string;
  credential: AppCredential;
  /** Scopes of ONE resource plus OIDC scopes (reference §2.3: mixing resources fails with AADSTS700022). */
  scopes: string[];
  /** Extra CA to trust (custom cloud). */
  trustedCaPem?: string | null;
  /** Whole-request deadline (connect, TLS, answer); default 15 s. */
  timeoutMs?: number;
}

export interface RedeemAuthorizationCodeInput extends TokenRequestBase {
  code: string;
  /** PKCE S256 verifier of the authorize request (reference §7). */
  codeVerifier: string;
  /** Exactly the redirect_uri of the authorize request. */
  redirectUri: string;
}

export interface RefreshWithRefreshTokenInput extends TokenRequestBase {
  refreshToken: string;
}

/** Non-secret claims of an access token (reference §7); all null for opaque (personal-account) tokens. */
export interface AccessTokenClaims {
  aud: string | null;
  /** Delegated scopes, space-separated. */
  scp: string | null;
  roles: string[];
  tid: string | null;
  oid: string | null;
  /** upn, else unique_name, else preferred_username. */
  upn: string | null;
  exp: number | null;
}

/** Claims of the ID token the portal keeps (reference §7: tid + oid are the immutable key). */
export interface IdTokenClaims {
  tid: string | null;
  oid: string | null;
  preferredUsername: string | null;
  email: string | null;
  name: string | null;
  /** To compare with the nonce of the authorize request. */
  nonce: string | null;
  aud: string | null;
  iss: string | null;
  exp: number | null;
}

export interface TokenSuccess {
  ok: true;
  accessToken: string;
  /** The rotated refresh token (reference §5: every refresh returns a new one); null when none came back. */
  refreshToken: string | null;
  idToken?: string;
  /** Seconds the access token is valid for, as Microsoft said. */
  expiresIn: number;
  /** Scopes the access token carries (one resource's). */
  scope: string;
  claims: AccessTokenClaims;
  idClaims?: IdTokenClaims;
}

export interface TokenFailure {
  ok: false;
  explanation: ErrorExplanation;
  /** Microsoft's OAuth `error` (reference §6: branch on this), when it answered with one. */
  oauthError?: string;
  /** AADSTS numbers, for logs (reference §6: may change; don't build logic on them alone). */
  errorCodes?: number[];
  /** HTTP status; absent for network failures. */
  status?: number;
}

export type TokenResult = TokenSuccess | TokenFailure;

const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_BODY_BYTES = 1024 * 1024;

// Building a TLS context from Node's roots plus one CA costs ~40 ms of CPU; keep one per custom-cloud CA.
const MAX_AGENTS = 16;
const agents = new Map<string, https.Agent>();

function agentFor(trustedCaPem: string | null | undefined): https.Agent | undefined {
  const ca = trustedCaPem?.trim();
  if (!ca) return undefined;
  let agent = agents.get(ca);
  if (!agent) {
    // Passing `ca` replaces Node's default list, so the public roots are added back.
    agent = new https.Agent({ keepAlive: false, ca: [...tls.rootCertificates, ca], minVersion: "TLSv1.2" });
    if (agents.size >= MAX_AGENTS) agents.delete(agents.keys().next().value!);
    agents.set(ca, agent);
  }
  return agent;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

class NetworkFailure extends Error {
  constructor(readonly code: string) {
    // Only the code: the request (with its credential) never reaches an error.
    super(`token request failed: ${code}`);
  }
}

function post(url: string, form: URLSearchParams, options: { trustedCaPem?: string | null; timeoutMs: number }): Promise<RawResponse> {
  const body = form.toString();
  const agent = agentFor(options.trustedCaPem);
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let req: ReturnType<typeof https.request> | undefined;
    const finish = (error: NetworkFailure | null, response?: RawResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req?.destroy();
        reject(error);
      } else resolve(response!);
    };
    const onResponse = (res: import("node:http").IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) finish(new NetworkFailure("ERR_RESPONSE_TOO_LARGE"));
        else chunks.push(chunk);
      });
      res.on("error", (e: NodeJS.ErrnoException) => finish(new NetworkFailure(e.code ?? "ECONNRESET")));
      res.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
        finish(null, { status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    };
    try {
      req = https.request(
        url,
        {
          method: "POST",
          ...(agent ? { agent } : { agent: false, minVersion: "TLSv1.2" }),
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            Accept: "application/json",
            "Content-Length": String(Buffer.byteLength(body)),
          },
        },
        onResponse,
      );
    } catch (error) {
      // A bad URL or option is thrown synchronously; only its code leaves this function.
      const code = (error as NodeJS.ErrnoException).code;
      finish(new NetworkFailure(typeof code === "string" ? code : "ERR_INVALID_URL"));
      return;
    }
    timer = setTimeout(() => finish(new NetworkFailure("ETIMEDOUT")), options.timeoutMs);
    req.on("error", (e: NodeJS.ErrnoException) => finish(new NetworkFailure(e.code ?? "ECONNRESET")));
    req.end(body);
  });
}

/** Retry-After as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : null);

export function accessTokenClaimsOf(accessToken: string): AccessTokenClaims {
  const c = decodeJwtClaims(accessToken) ?? {};
  return {
    aud: str(c["aud"]),
    scp: str(c["scp"]),
    roles: Array.isArray(c["roles"]) ? c["roles"].filter((r): r is string => typeof r === "string") : [],
    tid: str(c["tid"]),
    oid: str(c["oid"]),
    upn: str(c["upn"]) ?? str(c["unique_name"]) ?? str(c["preferred_username"]),
    exp: num(c["exp"]),
  };
}

export function idTokenClaimsOf(idToken: string): IdTokenClaims | undefined {
  const c = decodeJwtClaims(idToken);
  if (!c) return undefined;
  return {
    tid: str(c["tid"]),
    oid: str(c["oid"]),
    preferredUsername: str(c["preferred_username"]),
    email: str(c["email"]),
    name: str(c["name"]),
    nonce: str(c["nonce"]),
    aud: str(c["aud"]),
    iss: str(c["iss"]),
    exp: num(c["exp"]),
  };
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function failure(input: MicrosoftErrorInput, extra: Omit<TokenFailure, "ok" | "explanation"> = {}): TokenFailure {
  return { ok: false, explanation: explainMicrosoftError(input), ...extra };
}

/**
 * A request that never got Microsoft's answer says nothing about the grant: transient, whatever the cause
 * (timeout, refused, DNS, TLS). The catalog calls TLS failures permanent because an operator must act, but the
 * stored refresh token is still good, so the grant must not leave `active` for it.
 */
function networkFailure(code: string): TokenFailure {
  const explanation = explainMicrosoftError({ networkCode: code });
  return { ok: false, explanation: { ...explanation, permanent: false } };
}

function toResult(response: RawResponse): TokenResult {
  const json = parseJsonObject(response.body);
  const retryAfterSeconds = parseRetryAfter(response.headers["retry-after"]);
  if (response.status === 200 && json && typeof json["access_token"] === "string" && json["access_token"] !== "") {
    const accessToken = json["access_token"];
    const idToken = str(json["id_token"]) ?? undefined;
    const idClaims = idToken ? idTokenClaimsOf(idToken) : undefined;
    return {
      ok: true,
      accessToken,
      refreshToken: str(json["refresh_token"]) || null,
      ...(idToken ? { idToken } : {}),
      expiresIn: num(json["expires_in"]) ?? 3600,
      scope: str(json["scope"]) ?? "",
      claims: accessTokenClaimsOf(accessToken),
      ...(idClaims ? { idClaims } : {}),
    };
  }
  if (!json) return failure({ status: response.status, retryAfterSeconds }, { status: response.status });
  const errorCodes = Array.isArray(json["error_codes"]) ? json["error_codes"].filter((n): n is number => typeof n === "number") : undefined;
  const oauthError = str(json["error"]) ?? undefined;
  return failure(
    {
      error: oauthError,
      error_description: str(json["error_description"]) ?? (response.status === 200 ? "Microsoft answered without an access token." : undefined),
      error_codes: errorCodes,
      status: response.status,
      trace_id: str(json["trace_id"]) ?? undefined,
      correlation_id: str(json["correlation_id"]) ?? undefined,
      timestamp: str(json["timestamp"]) ?? undefined,
      retryAfterSeconds,
    },
    { ...(oauthError ? { oauthError } : {}), ...(errorCodes?.length ? { errorCodes } : {}), status: response.status },
  );
}

async function requestToken(base: TokenRequestBase, grant: Record<string, string>): Promise<TokenResult> {
  if (tenantKind(base.tenant) === "invalid") {
    return failure({ error_codes: [90002], error_description: "The tenant is not a tenant ID, a domain, or organizations/common/consumers." });
  }
  const tokenUrl = identityEndpointUrls(base.endpoints, base.tenant).token;
  const form = new URLSearchParams({ client_id: base.clientId, scope: base.scopes.join(" "), ...grant });
  if (base.credential.kind === "secret") {
    form.set("client_secret", base.credential.secret);
  } else {
    const assertion = buildClientAssertion({
      clientId: base.clientId,
      tokenUrl,
      certificatePem: base.credential.certificatePem,
      privateKeyPem: base.credential.privateKeyPem,
      sendCertificateChain: base.credential.sendCertificateChain,
    });
    if (!assertion.ok) return { ok: false, explanation: { ...explainMicrosoftError({ error: "invalid_client" }), microsoftMessage: assertion.message } };
    form.set("client_assertion_type", JWT_BEARER_ASSERTION_TYPE);
    form.set("client_assertion", assertion.assertion);
  }
  try {
    return toResult(await post(tokenUrl, form, { trustedCaPem: base.trustedCaPem, timeoutMs: base.timeoutMs ?? DEFAULT_TIMEOUT_MS }));
  } catch (error) {
    return networkFailure(error instanceof NetworkFailure ? error.code : "ECONNRESET");
  }
}

/** Redeems an authorization code (reference §7: same redirect_uri, the PKCE verifier; scopes of one resource). */
export function redeemAuthorizationCode(input: RedeemAuthorizationCodeInput): Promise<TokenResult> {
  return requestToken(input, {
    grant_type: "authorization_code",
    code: input.code,
    code_verifier: input.codeVerifier,
    redirect_uri: input.redirectUri,
  });
}

/**
 * Refreshes (reference §5): returns a new access token for the scopes' resource and a rotated refresh token,
 * which the caller must store before anything else. The refresh token is not bound to a resource, so the same
 * one obtains a token for a second resource (reference §2.3).
 */
export function refreshWithRefreshToken(input: RefreshWithRefreshTokenInput): Promise<TokenResult> {
  return requestToken(input, { grant_type: "refresh_token", refresh_token: input.refreshToken });
}
