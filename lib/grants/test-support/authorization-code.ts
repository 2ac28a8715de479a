// Test support: a real authorization code from the stand-in, obtained the way a browser would (its sign-in
// and consent pages driven over plain HTTP, e2e/stand-in/test-support/authorize-driver.ts), for the
// portal's own redirect URI. No fake: the code is redeemed at the stand-in's token endpoint.
import { randomBytes } from "node:crypto";
import { driveAuthorize } from "@/e2e/stand-in/test-support/authorize-driver";
import type { StandInClient } from "@/e2e/stand-in/start-stand-in";
import { createPkcePair } from "@/lib/microsoft/pkce";

/** A redirect URI every fixture app registers (e2e/stand-in/fixtures.json). */
export const TEST_REDIRECT_URI = "http://localhost:3000/oauth/callback";

export interface ObtainedCode {
  code: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
}

export async function obtainAuthorizationCode(
  standIn: StandInClient,
  options: { tenant: string; clientId: string; scopes: string[]; user: string; redirectUri?: string },
): Promise<ObtainedCode> {
  const pkce = createPkcePair();
  const state = randomBytes(16).toString("base64url");
  const nonce = randomBytes(16).toString("base64url");
  const redirectUri = options.redirectUri ?? TEST_REDIRECT_URI;
  const url = new URL(`${standIn.urls.authority(options.tenant)}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries({
    client_id: options.clientId,
    response_type: "code",
    redirect_uri: redirectUri,
    scope: options.scopes.join(" "),
    state,
    nonce,
    login_hint: options.user,
    code_challenge: pkce.challenge,
    code_challenge_method: "S256",
  })) {
    url.searchParams.set(k, v);
  }
  const outcome = await driveAuthorize(standIn.fetch, url.toString(), { user: options.user, consent: "accept" });
  if (outcome.params.state !== state) throw new Error("the authorize redirect carried another state");
  const code = outcome.params.code;
  if (!code) throw new Error(`no code: ${outcome.params.error ?? "unknown"} ${outcome.params.error_description ?? ""}`);
  return { code, codeVerifier: pkce.verifier, nonce, redirectUri };
}
