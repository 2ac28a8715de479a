// Microsoft Graph v1.0, the mail subset: /me, /users/{id|upn}, mailFolders/inbox, messages,
// sendMail, and /oidc/userinfo. Bearer tokens are checked for signature, lifetime, audience,
// scp/roles and mailbox access, with Graph's error bodies (issue #3, item 5).
import type { AccessTokenVerifier } from "../access-token-verifier";
import type { Directory, User } from "../directory";
import type { FaultBoard } from "../faults";
import { route, type RequestContext, type Route } from "../http/server";
import type { IdentityState } from "../identity/state";
import type { FolderName, MailStore, StoredMessage } from "../mail-store";
import type { MailboxPolicy } from "../mail-contract";
import { bearerToken, peekToken, permissionHolder, principalFromClaims, type Principal } from "../resource/principal";
import { GRAPH_APP_ID, graphError, sendGraphError, sendGraphJson, type GraphError } from "./graph-errors";
import { z } from "zod";

export interface GraphDeps {
  directory: Directory;
  verifier: AccessTokenVerifier;
  state: IdentityState;
  mail: MailStore;
  faults: FaultBoard;
  baseUrl(): string;
  identityBaseUrl(): string;
}

const GRAPH_AUDIENCES = ["https://graph.microsoft.com", "https://graph.microsoft.com/", GRAPH_APP_ID];

const has = (set: Set<string>, ...names: string[]): boolean => names.some((n) => set.has(n));

type Authenticated = { ok: true; principal: Principal } | { ok: false; error: GraphError };

function authenticate(deps: GraphDeps, ctx: RequestContext): Authenticated {
  const token = bearerToken(ctx.req.headers.authorization);
  if (!token) return { ok: false, error: graphError.tokenEmpty() };
  const result = deps.verifier.verify(token);
  if (!result.ok) {
    const byReason: Record<typeof result.reason, () => GraphError> = {
      empty: graphError.tokenEmpty,
      malformed: graphError.tokenMalformed,
      signature: graphError.tokenInvalid,
      issuer: graphError.tokenInvalid,
      expired: graphError.tokenExpired,
      not_yet_valid: graphError.tokenNotYetValid,
    };
    return { ok: false, error: byReason[result.reason]() };
  }
  const aud = result.claims.aud;
  if (typeof aud !== "string" || !GRAPH_AUDIENCES.includes(aud)) return { ok: false, error: graphError.invalidAudience() };
  const principal = principalFromClaims(deps.directory, result.claims);
  if (!principal) return { ok: false, error: graphError.tokenInvalid() };
  return { ok: true, principal };
}

/** Fault check first (so a fault can hit even a request that would fail), with the token's hints. */
function takeFault(deps: GraphDeps, ctx: RequestContext): boolean {
  const hints = peekToken(deps.state, bearerToken(ctx.req.headers.authorization) ?? "");
  const user = hints.oid ? deps.directory.findUser(hints.oid) : undefined;
  const tenant = hints.tid ? deps.directory.tenantById(hints.tid) : undefined;
  if (hints.clientId) ctx.record.clientId = hints.clientId;
  if (user) ctx.record.user = user.upn;
  const fault = deps.faults.take({
    endpoint: "graph",
    ...(hints.clientId ? { clientId: hints.clientId } : {}),
    ...(user ? { user: { upn: user.upn, id: user.id } } : {}),
    ...(tenant ? { tenant: { id: tenant.id, domains: tenant.domains } } : {}),
  });
  if (!fault) return false;
  ctx.record.faultId = fault.id;
  if (fault.kind === "hang") ctx.hang();
  else if (fault.kind === "throttled") sendGraphError(ctx, graphError.throttled(fault.retryAfterSeconds), deps.identityBaseUrl());
  else sendGraphError(ctx, graphError.serverError(), deps.identityBaseUrl());
  return true;
}

function userJson(deps: GraphDeps, u: User, contextPath: string): Record<string, unknown> {
  return {
    "@odata.context": `${deps.baseUrl()}/v1.0/$metadata#${contextPath}`,
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.givenName ?? null,
    jobTitle: null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: u.surname ?? null,
    userPrincipalName: u.upn,
    id: u.id,
  };
}

/** Resolves "me" or a user id/UPN within the principal's tenant (Graph never crosses tenants). */
function targetUser(deps: GraphDeps, p: Principal, who: string | undefined): User | GraphError {
  if (who === undefined) return p.kind === "user" ? p.user : graphError.meNeedsDelegated();
  const ref = decodeURIComponent(who).replace(/^'|'$/g, "").toLowerCase();
  const user = deps.directory.usersOf(p.tenant).find((u) => u.id === ref || u.upn === ref);
  return user ?? graphError.invalidUser(decodeURIComponent(who));
}

type MailAccess = "read" | "send";

/** Delegated: own mailbox with Mail.*, others need *.Shared + FullAccess/SendAs. App-only: roles + access policy. */
function authorizeMailbox(deps: GraphDeps, p: Principal, mailbox: MailboxPolicy, access: MailAccess): GraphError | undefined {
  if (p.kind === "user") {
    const own = p.user.upn === mailbox.address;
    if (own) {
      const ok = access === "read" ? has(p.scopes, "Mail.Read", "Mail.ReadWrite", "Mail.ReadBasic", "Mail.Read.Shared", "Mail.ReadWrite.Shared") : has(p.scopes, "Mail.Send", "Mail.Send.Shared");
      return ok ? undefined : graphError.accessDenied();
    }
    const scopeOk = access === "read" ? has(p.scopes, "Mail.Read.Shared", "Mail.ReadWrite.Shared") : has(p.scopes, "Mail.Send.Shared");
    const permOk = access === "read" ? deps.directory.hasFullAccess(mailbox, permissionHolder(p)) : deps.directory.hasSendAs(mailbox, permissionHolder(p)) || deps.directory.hasFullAccess(mailbox, permissionHolder(p));
    return scopeOk && permOk ? undefined : graphError.accessDenied();
  }
  const roleOk = access === "read" ? has(p.roles, "Mail.Read", "Mail.ReadWrite", "Mail.ReadBasic.All") : has(p.roles, "Mail.Send");
  if (!roleOk) return graphError.accessDenied();
  const policy = deps.directory.accessPolicy(p.tenant.id, p.appId);
  if (policy && !policy.has(mailbox.address)) return graphError.accessPolicyDenied();
  return undefined;
}

function folderOf(name: string): FolderName | undefined {
  const n = decodeURIComponent(name).toLowerCase();
  if (n === "inbox") return "inbox";
  if (n === "sentitems") return "sentitems";
  return undefined;
}

function folderId(mailbox: string, folder: FolderName): string {
  return `AAMkAD${Buffer.from(`${mailbox}/${folder}`).toString("base64url")}AAA=`;
}

function messageJson(m: StoredMessage): Record<string, unknown> {
  const who = (address: string): { emailAddress: { name: string; address: string } } => ({ emailAddress: { name: address, address } });
  return {
    "@odata.etag": `W/"CQAAABYAAAB${Buffer.from(m.id.slice(-12)).toString("base64")}"`,
    id: m.id,
    createdDateTime: m.receivedDateTime,
    lastModifiedDateTime: m.receivedDateTime,
    receivedDateTime: m.receivedDateTime,
    sentDateTime: m.sentDateTime,
    hasAttachments: false,
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    bodyPreview: m.body.replace(/\s+/g, " ").slice(0, 255),
    importance: "normal",
    parentFolderId: folderId(m.mailbox, m.folder),
    conversationId: `AAQk${Buffer.from(m.subject).toString("base64url").slice(0, 40)}`,
    isRead: m.isRead,
    isDraft: false,
    body: { contentType: m.contentType, content: m.body },
    sender: who(m.from),
    from: who(m.from),
    toRecipients: m.to.map(who),
    ccRecipients: m.cc.map(who),
    replyTo: [],
  };
}

const sendMailSchema = z.object({
  message: z.object({
    subject: z.string().default(""),
    body: z.object({ contentType: z.enum(["text", "html", "Text", "HTML", "Html"]).default("text"), content: z.string().default("") }).default({ contentType: "text", content: "" }),
    toRecipients: z.array(z.object({ emailAddress: z.object({ address: z.string(), name: z.string().optional() }) })).default([]),
    ccRecipients: z.array(z.object({ emailAddress: z.object({ address: z.string(), name: z.string().optional() }) })).default([]),
    from: z.object({ emailAddress: z.object({ address: z.string() }) }).optional(),
  }),
  saveToSentItems: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
});

async function handle(deps: GraphDeps, ctx: RequestContext, m: RegExpExecArray): Promise<void> {
  ctx.record.endpoint = "graph";
  const fail = (e: GraphError): void => sendGraphError(ctx, e, deps.identityBaseUrl());
  if (takeFault(deps, ctx)) return;
  const auth = authenticate(deps, ctx);
  if (!auth.ok) return fail(auth.error);
  const p = auth.principal;
  ctx.record.tenant = p.tenant.id;
  ctx.record.clientId = p.appId;
  if (p.kind === "user") ctx.record.user = p.user.upn;

  const who = m[2];
  const rest = m[3];
  const target = targetUser(deps, p, who);
  if ("status" in target) {
    // Directory reads of an unknown user say Request_ResourceNotFound; mail reads say ErrorInvalidUser.
    if (target.code === "ErrorInvalidUser" && rest === undefined) return fail(graphError.userNotFound(decodeURIComponent(who ?? "")));
    return fail(target);
  }

  if (rest === undefined) {
    if (ctx.method !== "GET") return fail(graphError.notFound(ctx.url.pathname));
    const self = p.kind === "user" && p.user.id === target.id;
    const allowed = p.kind === "user" ? (self ? has(p.scopes, "User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All") : has(p.scopes, "User.ReadBasic.All", "User.Read.All")) : has(p.roles, "User.Read.All");
    if (!allowed) return fail(graphError.insufficientPrivileges());
    return sendGraphJson(ctx, 200, userJson(deps, target, "users/$entity"));
  }

  const mailbox = deps.directory.mailbox(target.upn);
  if (!mailbox || target.mail === null) return fail(graphError.mailboxNotEnabled());
  const contextBase = `users('${target.id}')`;

  if (rest.toLowerCase() === "/sendmail") {
    if (ctx.method !== "POST") return fail(graphError.notFound(ctx.url.pathname));
    const denied = authorizeMailbox(deps, p, mailbox, "send");
    if (denied) return fail(denied);
    let parsed: z.infer<typeof sendMailSchema>;
    try {
      const r = sendMailSchema.safeParse(JSON.parse(await ctx.text()));
      if (!r.success) return fail(graphError.badJson());
      parsed = r.data;
    } catch {
      return fail(graphError.badJson());
    }
    const msg = parsed.message;
    const to = msg.toRecipients.map((r) => r.emailAddress.address.toLowerCase());
    const cc = msg.ccRecipients.map((r) => r.emailAddress.address.toLowerCase());
    if (to.length + cc.length === 0) return fail(graphError.noRecipients());
    const from = (msg.from?.emailAddress.address ?? mailbox.address).toLowerCase();
    if (from !== mailbox.address) {
      const fromMailbox = deps.directory.mailbox(from);
      if (!fromMailbox || !deps.directory.hasSendAs(fromMailbox, permissionHolder(p))) return fail(graphError.sendAsDenied());
    }
    deps.mail.send(
      {
        mailbox: mailbox.address,
        sentBy: p.kind === "user" ? p.user.upn : p.servicePrincipal.objectId,
        from,
        to,
        cc,
        subject: msg.subject,
        body: msg.body.content,
        contentType: msg.body.contentType.toLowerCase() === "html" ? "html" : "text",
      },
      new Set(deps.directory.listMailboxes().map((x) => x.address)),
      parsed.saveToSentItems === undefined ? true : parsed.saveToSentItems === true || parsed.saveToSentItems === "true",
    );
    ctx.res.writeHead(202, { "Content-Length": 0, "request-id": ctx.traceId, "client-request-id": ctx.correlationId });
    ctx.res.end();
    return;
  }

  if (ctx.method !== "GET") return fail(graphError.notFound(ctx.url.pathname));
  const denied = authorizeMailbox(deps, p, mailbox, "read");
  if (denied) return fail(denied);

  const folderMatch = /^\/mailFolders\/([^/]+)(\/messages)?$/i.exec(rest);
  if (folderMatch) {
    const folder = folderOf(folderMatch[1]!);
    if (!folder) return fail(graphError.folderNotFound());
    if (folderMatch[2]) return listMessages(deps, ctx, mailbox.address, folder, `${contextBase}/mailFolders('${folderMatch[1]}')/messages`);
    const counts = deps.mail.counts(mailbox.address, folder);
    return sendGraphJson(ctx, 200, {
      "@odata.context": `${deps.baseUrl()}/v1.0/$metadata#${contextBase}/mailFolders/$entity`,
      id: folderId(mailbox.address, folder),
      displayName: folder === "inbox" ? "Inbox" : "Sent Items",
      parentFolderId: folderId(mailbox.address, "inbox").replace("inbox", "root"),
      childFolderCount: 0,
      unreadItemCount: counts.unread,
      totalItemCount: counts.total,
      sizeInBytes: deps.mail.list(mailbox.address, folder).reduce((n, x) => n + x.body.length + x.subject.length + 512, 0),
      isHidden: false,
    });
  }
  if (rest.toLowerCase() === "/messages") return listMessages(deps, ctx, mailbox.address, undefined, `${contextBase}/messages`);
  return fail(graphError.notFound(ctx.url.pathname));
}

function listMessages(deps: GraphDeps, ctx: RequestContext, address: string, folder: FolderName | undefined, contextPath: string): void {
  const top = Math.min(Math.max(Number(ctx.url.searchParams.get("$top") ?? "10") || 10, 1), 1000);
  const skip = Math.max(Number(ctx.url.searchParams.get("$skip") ?? "0") || 0, 0);
  const all = deps.mail.list(address, folder);
  const page = all.slice(skip, skip + top);
  const body: Record<string, unknown> = { "@odata.context": `${deps.baseUrl()}/v1.0/$metadata#${contextPath}`, value: page.map(messageJson) };
  if (skip + top < all.length) {
    const next = new URL(ctx.url.pathname, deps.baseUrl());
    next.searchParams.set("$top", String(top));
    next.searchParams.set("$skip", String(skip + top));
    body["@odata.nextLink"] = next.toString();
  }
  sendGraphJson(ctx, 200, body);
}

async function userinfo(deps: GraphDeps, ctx: RequestContext): Promise<void> {
  ctx.record.endpoint = "userinfo";
  const auth = authenticate(deps, ctx);
  if (!auth.ok) return sendGraphError(ctx, auth.error, deps.identityBaseUrl());
  if (auth.principal.kind !== "user" || !auth.principal.scopes.has("openid")) return sendGraphError(ctx, graphError.accessDenied(), deps.identityBaseUrl());
  const u = auth.principal.user;
  sendGraphJson(ctx, 200, { sub: u.id, name: u.displayName, family_name: u.surname, given_name: u.givenName, ...(u.mail ? { email: u.mail } : {}) });
}

export function graphRoutes(deps: GraphDeps): Route[] {
  return [
    route(["GET", "POST"], /^\/v1\.0\/(me|users\/([^/]+))((?:\/mailFolders\/[^/]+(?:\/messages)?)|\/messages|\/sendMail)?\/?$/i, (ctx, m) => handle(deps, ctx, m)),
    route("GET", /^\/oidc\/userinfo$/, (ctx) => userinfo(deps, ctx)),
  ];
}
