// grant_type=refresh_token (reference §2.3, §5): refresh tokens are bound to user + client, not
// to a resource, so a refresh may ask for another resource the user consented to. Every refresh
// returns a new refresh token; the old one stays valid (Microsoft) unless the
// revokeRotatedRefreshTokens switch is on. Revoked: 50173.
import { CONSUMERS_TENANT_ID } from "../../fixtures";
import { aad } from "../errors";
import { analyseScopes, splitScopeParam } from "../scopes";
import { issueDelegated } from "../token-response";
import { segmentAdmitsUser } from "../tenant-segment";
import type { GrantContext } from "./grant-context";

const INACTIVITY_MS = 90 * 24 * 3600_000; // reference §5: 90 days sliding window

export async function refreshTokenGrant(g: GrantContext): Promise<void> {
  const { deps, form } = g;
  const value = form.get("refresh_token");
  if (!value) return g.fail(aad.missingParameter("refresh_token"));
  const rt = deps.state.refreshTokens.get(value);
  if (!rt) return g.fail(aad.malformed());
  if (rt.clientId !== g.app.clientId) return g.fail(aad.grantInvalid());
  if (rt.revokedAt) return g.fail(aad.refreshTokenRevoked(rt.issuedAt, rt.revokedAt));
  if (rt.rotatedAt && deps.settings().revokeRotatedRefreshTokens) return g.fail(aad.grantInvalid());
  if (Date.now() - rt.lastUsedAt.getTime() > INACTIVITY_MS) return g.fail(aad.refreshTokenInactive(rt.issuedAt));
  if (!segmentAdmitsUser(g.segment, rt.user, CONSUMERS_TENANT_ID)) return g.fail(aad.grantInvalid());

  const scopeParam = form.get("scope");
  const scopes = scopeParam ? splitScopeParam(scopeParam) : rt.scopes;
  const analysis = analyseScopes(scopes);
  const problem = analysis.problems[0];
  if (problem?.kind === "unknown-resource") return g.fail(aad.resourceNotFound(problem.uri, g.segment.segment));
  if (problem) return g.fail(aad.invalidScope(problem.raw));

  const user = deps.directory.userById(rt.user.tenantId, rt.user.userId);
  const tenant = deps.directory.tenantById(rt.user.tenantId);
  if (!user || !tenant) return g.fail(aad.grantInvalid());
  g.ctx.record.user = user.upn;
  // Reference §2.3: a refresh spanning several resources gets a token for the first scope's resource.
  const result = issueDelegated(deps, {
    tenant,
    user,
    app: g.app,
    resource: analysis.resources[0] ?? null,
    analysis: { ...analysis, oidc: [...new Set([...analysis.oidc, "offline_access"])] },
    requestScopes: scopes,
    appidacr: g.appidacr,
    authTime: rt.authTime,
    sessionId: rt.sessionId,
    clientInfo: form.get("client_info") === "1",
  });
  if ("error" in result) return g.fail(result);
  rt.lastUsedAt = new Date();
  rt.rotatedAt = new Date();
  g.succeed(result);
}
