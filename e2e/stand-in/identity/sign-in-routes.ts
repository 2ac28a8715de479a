// The two form posts of the sign-in pages: picking an account (/{tenant}/login) and the consent
// decision (/{tenant}/Consent/Set), for both the authorize and the admin-consent flows.
import { type RequestContext, type Route, route } from "../http/server";
import type { User } from "../directory";
import type { IdentityDeps } from "./deps";
import { sendErrorPage } from "./respond";
import { continueAuthorize, decideAuthorizeConsent, SESSION_COOKIE } from "./authorize-endpoint";
import { continueAdminConsent, decideAdminConsent } from "./admin-consent-endpoint";
import { eligibleUsers } from "./tenant-segment";
import type { SignInTransaction } from "./state";

/** A lost or expired sign-in (back button, restart): Microsoft's "session expired" style error. */
function expired(ctx: RequestContext): void {
  sendErrorPage(ctx, { error: "invalid_request", code: 50089, message: "Flow token expired. Authentication failed because the flow token expired. Please sign in again." });
}

async function pick(deps: IdentityDeps, ctx: RequestContext): Promise<void> {
  ctx.record.endpoint = "login";
  const form = await ctx.form();
  const tx = deps.state.transaction(form.get("ctx"));
  if (!tx) return expired(ctx);
  ctx.record.clientId = tx.clientId;
  const app = deps.directory.app(tx.clientId)!;
  const userId = form.get("user") ?? "";
  const candidates = tx.flow === "adminconsent" ? eligibleUsers(deps.directory, tx.segment.kind === "tenant" ? tx.segment : { kind: "organizations", segment: "organizations" }, app) : eligibleUsers(deps.directory, tx.segment, app);
  const user = candidates.find((u) => u.id === userId.toLowerCase());
  if (!user) {
    const known = deps.directory.findUser(userId);
    return sendErrorPage(ctx, {
      error: "invalid_request",
      code: 50020,
      message: `User account '${known?.upn ?? userId}' from identity provider '${known ? `https://sts.windows.net/${known.tenantId}/` : "live.com"}' does not exist in tenant '${tx.segment.kind === "tenant" ? tx.segment.tenant.displayName : tx.segment.segment}' and cannot access the application '${app.clientId}'(${app.displayName}) in that tenant.`,
    });
  }
  const sessionId = deps.state.newSession({ tenantId: user.tenantId, userId: user.id });
  ctx.res.setHeader("Set-Cookie", `${SESSION_COOKIE}=${sessionId}; Path=/; Secure; HttpOnly; SameSite=None`);
  tx.sessionId = sessionId;
  tx.authTime = deps.state.sessions.get(sessionId)!.authTime;
  if (tx.flow === "adminconsent") return continueAdminConsent(deps, ctx, tx, user);
  ctx.record.endpoint = "authorize";
  return continueAuthorize(deps, ctx, tx, user, true);
}

function txUser(deps: IdentityDeps, tx: SignInTransaction): User | undefined {
  return tx.user ? deps.directory.userById(tx.user.tenantId, tx.user.userId) : undefined;
}

async function decide(deps: IdentityDeps, ctx: RequestContext): Promise<void> {
  ctx.record.endpoint = "consent";
  const form = await ctx.form();
  const tx = deps.state.transaction(form.get("ctx"));
  const user = tx ? txUser(deps, tx) : undefined;
  if (!tx || !user) return expired(ctx);
  ctx.record.clientId = tx.clientId;
  const accept = form.get("decision") === "accept";
  if (tx.flow === "adminconsent") return decideAdminConsent(deps, ctx, tx, user, accept);
  return decideAuthorizeConsent(deps, ctx, tx, user, accept);
}

export function signInRoutes(deps: IdentityDeps): Route[] {
  return [route("POST", /^\/([^/]+)\/login$/, (ctx) => pick(deps, ctx)), route("POST", /^\/([^/]+)\/Consent\/Set$/, (ctx) => decide(deps, ctx))];
}

