// Test-only control API under /_stand-in/ on the identity host (JSON in, JSON out): arm faults,
// count requests, change settings, revoke grants, add redirect URIs, flip mailbox switches, read
// what Graph sent, mint tokens for negative tests, reset everything.
import { z } from "zod";
import type { Directory } from "../directory";
import { armFaultSchema, type FaultBoard } from "../faults";
import { route, sendJson, HttpError, type RequestContext, type Route } from "../http/server";
import type { IdentityState } from "../identity/state";
import type { TokenFactory } from "../identity/token-factory";
import { analyseScopes, audienceFor } from "../identity/scopes";
import { GRAPH } from "../identity/resources";
import type { MailStore } from "../mail-store";
import type { DeliveredMessage } from "../mail-contract";
import type { RequestLog, ServiceName } from "../request-log";
import { settingsSchema, type Settings } from "../settings";

export interface ControlDeps {
  directory: Directory;
  state: IdentityState;
  tokens: TokenFactory;
  faults: FaultBoard;
  log: RequestLog;
  mail: MailStore;
  settings(): Settings;
  updateSettings(change: Partial<Settings>): Settings;
  reset(): void;
  describe(): unknown;
  delivered?: (address?: string) => Promise<DeliveredMessage[]>;
}

async function body<T extends z.ZodType>(ctx: RequestContext, schema: T): Promise<z.infer<T>> {
  const text = await ctx.text();
  let raw: unknown = {};
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HttpError(400, "body is not JSON");
    }
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new HttpError(400, r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  return r.data;
}

const revokeSchema = z.object({ clientId: z.string().optional(), removeConsent: z.boolean().default(false), endSessions: z.boolean().default(true) });
const redirectSchema = z.object({ uri: z.url() });
const mailboxPatchSchema = z.object({
  switches: z.object({ imapDisabled: z.boolean(), popDisabled: z.boolean(), smtpAuthDisabled: z.boolean() }).partial().optional(),
  fullAccess: z.array(z.string()).optional(),
  sendAs: z.array(z.string()).optional(),
});
const accessPolicySchema = z.object({ mailboxes: z.array(z.email()).nullable() });
const mintSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("delegated"),
    user: z.string(),
    clientId: z.string(),
    /** Scope strings as a client would request them (they decide aud + scp). */
    scopes: z.array(z.string()).min(1),
    expiresInSeconds: z.number().int().min(-86_400).max(86_400).default(3600),
  }),
  z.object({
    kind: z.literal("app"),
    tenant: z.string(),
    clientId: z.string(),
    /** e.g. https://outlook.office365.com/.default */
    scope: z.string(),
    roles: z.array(z.string()).optional(),
    expiresInSeconds: z.number().int().min(-86_400).max(86_400).default(3600),
  }),
]);

function mint(deps: ControlDeps, req: z.infer<typeof mintSchema>): { access_token: string; claims: Record<string, unknown> } {
  const app = deps.directory.app(req.clientId);
  if (!app) throw new HttpError(404, `unknown client ${req.clientId}`);
  if (req.kind === "delegated") {
    const user = deps.directory.findUser(req.user);
    if (!user) throw new HttpError(404, `unknown user ${req.user}`);
    const tenant = deps.directory.tenantById(user.tenantId)!;
    const analysis = analyseScopes(req.scopes);
    if (analysis.problems.length > 0 || analysis.resources.length > 1) throw new HttpError(400, "scopes must name one known resource");
    const resource = analysis.resources[0] ?? { resource: GRAPH, uri: "https://graph.microsoft.com", names: [], hasDefault: false };
    const t = deps.tokens.delegatedAccessToken({
      tenant,
      user,
      app,
      audience: audienceFor(resource),
      scopes: [...analysis.oidc.filter((s) => s !== "offline_access"), ...resource.names],
      appidacr: "1",
      authTime: Math.floor(Date.now() / 1000),
      sessionId: deps.tokens.newSessionId(),
      lifetimeSeconds: req.expiresInSeconds,
    });
    return { access_token: t.token, claims: t.claims };
  }
  const tenant = deps.directory.tenantByIdOrDomain(req.tenant);
  if (!tenant) throw new HttpError(404, `unknown tenant ${req.tenant}`);
  const analysis = analyseScopes([req.scope], "application");
  const resource = analysis.resources[0];
  if (!resource) throw new HttpError(400, "scope must be {resource}/.default");
  const sp = deps.directory.ensureServicePrincipal(tenant.id, app.clientId);
  const t = deps.tokens.appAccessToken({ tenant, app, sp, audience: audienceFor(resource), roles: req.roles ?? deps.directory.appRoles(tenant.id, app.clientId, resource.resource.key), appidacr: "1" });
  if (req.expiresInSeconds !== 3600) {
    // Re-mint with the requested lifetime by adjusting exp (app tokens use the global setting).
    const claims = { ...t.claims, exp: Number(t.claims.iat) + req.expiresInSeconds };
    return { access_token: deps.tokens.signRaw(claims), claims };
  }
  return { access_token: t.token, claims: t.claims };
}

export function controlRoutes(deps: ControlDeps): Route[] {
  const ok = (ctx: RequestContext, value: unknown, status = 200): void => sendJson(ctx, status, value, { "Cache-Control": "no-store" });
  return [
    route("GET", /^\/_stand-in\/?$/, async (ctx) => ok(ctx, deps.describe())),
    route("GET", /^\/_stand-in\/health$/, async (ctx) => ok(ctx, { ok: true })),
    route("POST", /^\/_stand-in\/reset$/, async (ctx) => {
      deps.reset();
      ok(ctx, { ok: true });
    }),
    route("GET", /^\/_stand-in\/faults$/, async (ctx) => ok(ctx, deps.faults.list())),
    route("POST", /^\/_stand-in\/faults$/, async (ctx) => ok(ctx, deps.faults.arm(await body(ctx, armFaultSchema)), 201)),
    route("DELETE", /^\/_stand-in\/faults$/, async (ctx) => {
      deps.faults.clear();
      ok(ctx, { ok: true });
    }),
    route("GET", /^\/_stand-in\/requests$/, async (ctx) => {
      const q = ctx.url.searchParams;
      const filter = {
        ...(q.get("service") ? { service: q.get("service") as ServiceName } : {}),
        ...(q.get("endpoint") ? { endpoint: q.get("endpoint")! } : {}),
        ...(q.get("grantType") ? { grantType: q.get("grantType")! } : {}),
        ...(q.get("clientId") ? { clientId: q.get("clientId")! } : {}),
        ...(q.get("tenant") ? { tenant: q.get("tenant")! } : {}),
        ...(q.get("user") ? { user: q.get("user")! } : {}),
      };
      const requests = deps.log.list(filter);
      ok(ctx, { count: requests.length, requests });
    }),
    route("DELETE", /^\/_stand-in\/requests$/, async (ctx) => {
      deps.log.clear();
      ok(ctx, { ok: true });
    }),
    route("GET", /^\/_stand-in\/settings$/, async (ctx) => ok(ctx, deps.settings())),
    route("PATCH", /^\/_stand-in\/settings$/, async (ctx) => ok(ctx, deps.updateSettings(await body(ctx, settingsSchema.partial())))),
    route("POST", /^\/_stand-in\/users\/([^/]+)\/revoke$/, async (ctx, m) => {
      const req = await body(ctx, revokeSchema);
      const user = deps.directory.findUser(decodeURIComponent(m[1]!));
      if (!user) throw new HttpError(404, "unknown user");
      const ref = { tenantId: user.tenantId, userId: user.id };
      const revoked = deps.state.revokeRefreshTokens(ref, req.clientId);
      if (req.endSessions) deps.state.endSessions(ref);
      if (req.removeConsent) deps.directory.removeUserGrants(user.tenantId, req.clientId, user.id);
      ok(ctx, { revoked });
    }),
    route("POST", /^\/_stand-in\/apps\/([^/]+)\/redirect-uris$/, async (ctx, m) => {
      const req = await body(ctx, redirectSchema);
      const clientId = decodeURIComponent(m[1]!);
      if (!deps.directory.app(clientId)) throw new HttpError(404, "unknown client");
      deps.directory.addRedirectUri(clientId, req.uri);
      ok(ctx, { redirectUris: deps.directory.app(clientId)!.redirectUris });
    }),
    route("GET", /^\/_stand-in\/mailboxes$/, async (ctx) => ok(ctx, deps.directory.listMailboxes())),
    route("GET", /^\/_stand-in\/mailboxes\/([^/]+)$/, async (ctx, m) => {
      const box = deps.directory.mailbox(decodeURIComponent(m[1]!));
      if (!box) throw new HttpError(404, "unknown mailbox");
      ok(ctx, box);
    }),
    route("PATCH", /^\/_stand-in\/mailboxes\/([^/]+)$/, async (ctx, m) => {
      const req = await body(ctx, mailboxPatchSchema);
      const address = decodeURIComponent(m[1]!);
      if (!deps.directory.mailbox(address)) throw new HttpError(404, "unknown mailbox");
      ok(ctx, deps.directory.updateMailbox(address, { ...(req.switches ? { switches: req.switches } : {}), ...(req.fullAccess ? { fullAccess: req.fullAccess } : {}), ...(req.sendAs ? { sendAs: req.sendAs } : {}) }));
    }),
    route("PUT", /^\/_stand-in\/tenants\/([^/]+)\/access-policies\/([^/]+)$/, async (ctx, m) => {
      const req = await body(ctx, accessPolicySchema);
      const tenant = deps.directory.tenantByIdOrDomain(decodeURIComponent(m[1]!));
      if (!tenant) throw new HttpError(404, "unknown tenant");
      deps.directory.setAccessPolicy(tenant.id, decodeURIComponent(m[2]!), req.mailboxes);
      ok(ctx, { ok: true });
    }),
    route("GET", /^\/_stand-in\/graph\/sent$/, async (ctx) => ok(ctx, deps.mail.sentMessages(ctx.url.searchParams.get("mailbox") ?? undefined))),
    route("GET", /^\/_stand-in\/mail\/delivered$/, async (ctx) => {
      if (!deps.delivered) throw new HttpError(404, "mail servers are not running");
      ok(ctx, await deps.delivered(ctx.url.searchParams.get("address") ?? undefined));
    }),
    route("POST", /^\/_stand-in\/tokens$/, async (ctx) => ok(ctx, mint(deps, await body(ctx, mintSchema)))),
  ];
}
