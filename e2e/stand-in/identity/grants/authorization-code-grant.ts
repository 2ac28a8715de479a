// grant_type=authorization_code (reference §5, §7): single-use code (54005 on reuse), same
// client, same redirect_uri, PKCE (50148 missing verifier, 501481 mismatch), scopes from one
// resource (700022), consent (65001).
import crypto from "node:crypto";
import { CONSUMERS_TENANT_ID } from "../../fixtures";
import { aad } from "../errors";
import { analyseScopes, splitScopeParam } from "../scopes";
import { issueDelegated } from "../token-response";
import { segmentAdmitsUser } from "../tenant-segment";
import type { AuthorizationCode } from "../state";
import type { GrantContext } from "./grant-context";

function pkceMatches(code: AuthorizationCode, verifier: string): boolean {
  if (code.codeChallengeMethod === "S256") return crypto.createHash("sha256").update(verifier, "ascii").digest("base64url") === code.codeChallenge;
  return verifier === code.codeChallenge;
}

/** A code may only be redeemed through the authority it was issued on, or the user's own tenant. */
function redeemableHere(g: GrantContext, code: AuthorizationCode): boolean {
  const issued = code.segment;
  const here = g.segment;
  if (issued.kind === "tenant") return here.kind === "tenant" && here.tenant.id === issued.tenant.id;
  if (here.kind === issued.kind) return true;
  return here.kind === "tenant" && here.tenant.id === code.user.tenantId;
}

export async function authorizationCodeGrant(g: GrantContext): Promise<void> {
  const { deps, form } = g;
  const value = form.get("code");
  if (!value) return g.fail(aad.missingParameter("code"));
  const code = deps.state.codes.get(value);
  if (!code) return g.fail(aad.malformed());
  if (code.redeemed) return g.fail(aad.codeRedeemed());
  if (code.expiresAt <= Date.now()) return g.fail(aad.codeExpired());
  if (code.clientId !== g.app.clientId) return g.fail(aad.grantInvalid());
  if (!redeemableHere(g, code) || !segmentAdmitsUser(g.segment, code.user, CONSUMERS_TENANT_ID)) return g.fail(aad.codeOtherTenant());
  const redirectUri = form.get("redirect_uri");
  if (!redirectUri) return g.fail(aad.missingParameter("redirect_uri"));
  if (redirectUri !== code.redirectUri) return g.fail(aad.replyAddressMismatch(redirectUri, code.redirectUri));
  if (code.codeChallenge !== undefined) {
    const verifier = form.get("code_verifier");
    if (!verifier) return g.fail(aad.pkceVerifierMissing());
    if (!pkceMatches(code, verifier)) return g.fail(aad.pkceVerifierMismatch());
  }

  // Generic OIDC clients (openid-client, hence next-auth) send no scope when redeeming; Microsoft
  // then uses the authorize request's scopes and issues the token for their first resource. A
  // scope parameter that is present but empty is AADSTS28003.
  const scopeParam = form.get("scope");
  const scopes = scopeParam === null ? code.scopes : splitScopeParam(scopeParam);
  if (scopes.length === 0) return g.fail(aad.emptyScopeForCode());
  const analysis = analyseScopes(scopes);
  const problem = analysis.problems[0];
  if (problem?.kind === "unknown-resource") return g.fail(aad.resourceNotFound(problem.uri, g.segment.segment));
  if (problem) return g.fail(aad.invalidScope(problem.raw));
  // Reference §2.3: one resource per request, plus OIDC scopes.
  if (scopeParam !== null && analysis.resources.length > 1) return g.fail(aad.multipleResources(scopeParam));

  const user = deps.directory.userById(code.user.tenantId, code.user.userId);
  const tenant = deps.directory.tenantById(code.user.tenantId);
  if (!user || !tenant) return g.fail(aad.grantInvalid());
  g.ctx.record.user = user.upn;
  const result = issueDelegated(deps, {
    tenant,
    user,
    app: g.app,
    resource: analysis.resources[0] ?? null,
    analysis,
    requestScopes: scopes,
    appidacr: g.appidacr,
    authTime: code.authTime,
    sessionId: code.sessionId,
    ...(code.nonce !== undefined ? { nonce: code.nonce } : {}),
    clientInfo: form.get("client_info") === "1",
  });
  if ("error" in result) return g.fail(result);
  code.redeemed = true;
  g.succeed(result);
}
