import type { CloudEndpoints } from "@/lib/microsoft/clouds";
import { identityEndpointUrls, isSpecificTenant } from "@/lib/microsoft/authority";
import type { ProtocolUse } from "@/lib/microsoft/protocols";

// The URLs that start a user's consent (authorization code + PKCE) and an admin's consent (reference §7).

export type Prompt = "login" | "none" | "consent" | "select_account";
export type ResponseMode = "query" | "fragment" | "form_post";

export interface AuthorizeUrlInput {
  endpoints: CloudEndpoints;
  tenant: string;
  clientId: string;
  redirectUri: string;
  /** Every scope of every resource plus OIDC (delegatedScopePlan(...).consentScopes): one consent screen. */
  scopes: readonly string[];
  state: string;
  /** base64url(SHA-256(verifier)), 43 characters (pkce.ts). */
  codeChallenge: string;
  nonce?: string;
  loginHint?: string;
  domainHint?: string;
  prompt?: Prompt;
  /** Microsoft's default is query; form_post is recommended for web apps (reference §7). */
  responseMode?: ResponseMode;
}

const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Query string with spaces as %20 (a `+` would also do; a double-encoded scope fails with AADSTS9002313, reference §6). */
function query(params: Array<[string, string | undefined]>): string {
  const search = new URLSearchParams();
  for (const [k, v] of params) if (v !== undefined) search.append(k, v);
  return search.toString().replace(/\+/g, "%20");
}

function assertAbsoluteUrl(value: string, what: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${what} must be an absolute URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`${what} must be an http or https URL.`);
}

/** /authorize with response_type=code and PKCE S256 (reference §7). */
export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  if (input.scopes.length === 0) throw new Error("At least one scope is needed.");
  if (input.state === "") throw new Error("A state value is needed.");
  if (!S256_CHALLENGE.test(input.codeChallenge)) throw new Error("The code challenge must be a base64url SHA-256 (43 characters).");
  if (input.prompt === "select_account" && input.loginHint) {
    // Reference §7: select_account can't be combined with login_hint.
    throw new Error("prompt=select_account can't be combined with login_hint.");
  }
  assertAbsoluteUrl(input.redirectUri, "The redirect URI");
  const scopes = [...new Set(input.scopes)];
  return `${identityEndpointUrls(input.endpoints, input.tenant).authorize}?${query([
    ["client_id", input.clientId],
    ["response_type", "code"],
    ["redirect_uri", input.redirectUri],
    ["response_mode", input.responseMode],
    ["scope", scopes.join(" ")],
    ["state", input.state],
    ["code_challenge", input.codeChallenge],
    ["code_challenge_method", "S256"],
    ["nonce", input.nonce],
    ["login_hint", input.loginHint],
    ["domain_hint", input.domainHint],
    ["prompt", input.prompt],
  ])}`;
}

export interface AdminConsentUrlInput {
  endpoints: CloudEndpoints;
  /** The customer's tenant ID or domain, or organizations (reference §7). */
  tenant: string;
  clientId: string;
  redirectUri: string;
  /** A /.default scope (adminConsentScopeFor). */
  scope: string;
  state: string;
}

/**
 * The v2.0 admin-consent URL (reference §7; the endpoint without /v2.0 answers error=permission_denied).
 * Success redirects with admin_consent=True&tenant=…; never trust that tenant without confirming it with a token.
 */
export function buildAdminConsentUrl(input: AdminConsentUrlInput): string {
  if (!isSpecificTenant(input.tenant) && input.tenant.trim().toLowerCase() !== "organizations") {
    throw new Error("Admin consent needs the customer's tenant ID or domain (or organizations).");
  }
  if (input.state === "") throw new Error("A state value is needed.");
  assertAbsoluteUrl(input.redirectUri, "The redirect URI");
  return `${identityEndpointUrls(input.endpoints, input.tenant).adminConsent}?${query([
    ["client_id", input.clientId],
    ["scope", input.scope],
    ["redirect_uri", input.redirectUri],
    ["state", input.state],
  ])}`;
}

/**
 * The scope for admin consent. With /.default the admin approves every permission in the app's
 * requiredResourceAccess, of every resource (reference §7 [E4]), so one URL covers all protocols; the resource
 * only has to be one the app has permissions on. Exchange's resource is used when any Exchange protocol is
 * involved (reference §4 names https://ps.outlook.com/.default for IMAP/POP, an alias of the same Exchange
 * resource that exists only in the global cloud, and https://outlook.office365.com/.default for SMTP).
 */
export function adminConsentScopeFor(uses: readonly ProtocolUse[], endpoints: CloudEndpoints): string {
  const exchange = uses.some((u) => u.protocol !== "graph");
  return `${exchange ? endpoints.exchangeResource : endpoints.graphResource}/.default`;
}
