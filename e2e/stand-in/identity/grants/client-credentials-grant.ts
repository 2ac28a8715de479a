// grant_type=client_credentials (reference §2.2): scope must be `{resource}/.default` (1002012
// otherwise), one resource (700022); the token carries the app roles granted in the tenant as
// `roles`, oid = the service principal's object ID (reference §4).
import { aad } from "../errors";
import { analyseScopes, audienceFor, splitScopeParam } from "../scopes";
import type { GrantContext } from "./grant-context";

export async function clientCredentialsGrant(g: GrantContext): Promise<void> {
  const { deps, form } = g;
  if (g.segment.kind !== "tenant") return g.fail(aad.grantInvalid());
  const tenant = g.segment.tenant;
  const scopeParam = form.get("scope");
  const scopes = splitScopeParam(scopeParam);
  if (scopes.length === 0) return g.fail(aad.missingParameter("scope"));
  const analysis = analyseScopes(scopes, "application");
  const unknownResource = analysis.problems.find((p) => p.kind === "unknown-resource");
  if (unknownResource?.kind === "unknown-resource") return g.fail(aad.resourceNotFound(unknownResource.uri, tenant.displayName));
  const notDefault = analysis.problems.length > 0 || analysis.oidc.length > 0 || analysis.resources.some((r) => !r.hasDefault || r.names.length > 0);
  if (notDefault) return g.fail(aad.clientCredentialScope(scopeParam ?? ""));
  if (analysis.resources.length > 1) return g.fail(aad.multipleResources(scopeParam ?? ""));
  const request = analysis.resources[0]!;
  const sp = deps.directory.servicePrincipal(tenant.id, g.app.clientId);
  if (!sp) return g.fail(aad.appNotFound(g.app.clientId, tenant.displayName));
  const roles = deps.directory.appRoles(tenant.id, g.app.clientId, request.resource.key).sort();
  const token = deps.tokens.appAccessToken({ tenant, app: g.app, sp, audience: audienceFor(request), roles, appidacr: g.appidacr });
  g.succeed({ token_type: "Bearer", expires_in: token.expiresIn, ext_expires_in: token.expiresIn, access_token: token.token });
}
