// Raw OAuth calls against the stand-in (no MSAL), for tests that look at exact wire shapes.
import crypto from "node:crypto";
import type { StandIn } from "../start-stand-in";
import { driveAuthorize, type AuthorizeOutcome, type DriveOptions } from "./authorize-driver";

export interface AuthorizeParams {
  tenant: string;
  clientId: string;
  scopes: string[];
  redirectUri: string;
  state?: string;
  nonce?: string;
  responseMode?: "query" | "fragment" | "form_post";
  prompt?: string;
  loginHint?: string;
  pkce?: boolean;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = crypto.randomBytes(32).toString("base64url");
  return { verifier, challenge: crypto.createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizeUrl(standIn: StandIn, p: AuthorizeParams, challenge?: string): string {
  const url = new URL(`${standIn.urls.authority(p.tenant)}/oauth2/v2.0/authorize`);
  const q: Record<string, string | undefined> = {
    client_id: p.clientId,
    response_type: "code",
    redirect_uri: p.redirectUri,
    scope: p.scopes.join(" "),
    state: p.state,
    nonce: p.nonce,
    response_mode: p.responseMode,
    prompt: p.prompt,
    login_hint: p.loginHint,
    code_challenge: challenge,
    code_challenge_method: challenge ? "S256" : undefined,
  };
  for (const [k, v] of Object.entries(q)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** Runs /authorize to the end; returns the outcome and the PKCE verifier used. */
export async function authorize(standIn: StandIn, p: AuthorizeParams, drive: DriveOptions): Promise<AuthorizeOutcome & { verifier?: string }> {
  const pair = p.pkce === false ? undefined : pkcePair();
  const outcome = await driveAuthorize(standIn.fetch, authorizeUrl(standIn, p, pair?.challenge), drive);
  return { ...outcome, ...(pair ? { verifier: pair.verifier } : {}) };
}

export function tokenRequest(standIn: StandIn, tenant: string, form: Record<string, string>, init: { timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<Response> {
  return standIn.fetch(`${standIn.urls.authority(tenant)}/oauth2/v2.0/token`, { method: "POST", body: new URLSearchParams(form), ...init });
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  scope: string;
  expires_in: number;
}

/** Signs a user in and redeems the code: the whole delegated flow in one call. */
export async function signInTokens(standIn: StandIn, p: AuthorizeParams & { clientSecret: string; tokenScopes?: string[] }, user: string): Promise<TokenSet> {
  const outcome = await authorize(standIn, p, { user, consent: "accept" });
  if (!outcome.params.code) throw new Error(`no code: ${JSON.stringify(outcome.params)}`);
  const res = await tokenRequest(standIn, p.tenant, {
    grant_type: "authorization_code",
    client_id: p.clientId,
    client_secret: p.clientSecret,
    code: outcome.params.code,
    redirect_uri: p.redirectUri,
    scope: (p.tokenScopes ?? p.scopes).join(" "),
    ...(outcome.verifier ? { code_verifier: outcome.verifier } : {}),
  });
  const body = (await res.json()) as TokenSet & { error?: string; error_description?: string };
  if (!res.ok) throw new Error(`token request failed: ${body.error_description ?? res.status}`);
  return body;
}
