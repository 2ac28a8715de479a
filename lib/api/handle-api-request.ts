import type { IncomingMessage, ServerResponse } from "node:http";
import { hashApiKey, prefixOfApiKey } from "@/lib/api-keys/api-key-format";
import { keyRefusal, type ApiKeyPolicy } from "@/lib/api-keys/api-key-policy";
import { toPublicError } from "@/lib/errors";
import { clientIpOf } from "@/lib/server/security-headers";
import type { ApiContext } from "@/lib/api/api-context";
import type { ApiServices } from "@/lib/api/api-services";
import type { ApiCaller } from "@/lib/api/http/api-caller";
import { ApiProblem } from "@/lib/api/http/api-problem";
import { bearerTokenOf } from "@/lib/api/http/bearer-token";
import type { ApiReply } from "@/lib/api/http/json-reply";
import { matchRoute } from "@/lib/api/http/match-route";
import { readJsonBody } from "@/lib/api/http/read-body";
import { sendProblem } from "@/lib/api/http/send-problem";
import { baseHeaders, JSON_TYPE, sendBody } from "@/lib/api/http/send-response";
import { parsePart } from "@/lib/api/http/validation-problem";
import { apiRoutes } from "@/lib/api/router";

// Every /api/v1 request, in lib/server's process, before Next: route → authenticate (key hash → policy,
// in memory) → rate limit → scope → validate params, query, body (the route's zod schemas) → handler →
// bytes. Refusals are audited through the usage recorder (batched), never with the key or a token.

const WWW_AUTHENTICATE = 'Bearer realm="mailbox-oauth-portal"';
/**
 * Unknown keys per client address per minute. Each new unknown key costs a database lookup; a client
 * guessing keys is slowed to this pace (429) instead of turning guesses into queries.
 */
const UNKNOWN_KEYS_PER_MINUTE = 60;

function splitUrl(url: string): { pathname: string; search: string } {
  const q = url.indexOf("?");
  return q === -1 ? { pathname: url, search: "" } : { pathname: url.slice(0, q), search: url.slice(q + 1) };
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

function unauthorized(detail: string, invalidToken: boolean): ApiProblem {
  return new ApiProblem("unauthorized", detail, {}, undefined, { "www-authenticate": invalidToken ? `${WWW_AUTHENTICATE}, error="invalid_token"` : WWW_AUTHENTICATE });
}

export function createApiRequestHandler(services: ApiServices): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const headers = baseHeaders({ secure: services.secure });

  return async function handleApiRequest(req, res) {
    const method = req.method ?? "GET";
    const { pathname, search } = splitUrl(req.url ?? "/");
    const ip = clientIpOf(req, services.trustProxy);
    const userAgent = headerOf(req, "user-agent")?.slice(0, 300) ?? null;
    try {
      const matched = matchRoute(apiRoutes, method, pathname);
      if (matched.kind === "none") throw new ApiProblem("not_found", "There is no such endpoint; see /api/v1/openapi.json.");
      if (matched.kind === "wrong_method") throw new ApiProblem("method_not_allowed", `Use ${matched.allowed.join(" or ")} for this path.`, {}, undefined, { allow: matched.allowed.join(", ") });
      const route = matched.route;
      const operation = `${route.method} ${route.path}`;
      const deniedAs = (label: string, keyId: string | null) => (reason: string, target: string | null) =>
        services.usage.recordDenial({ actorLabel: label, apiKeyId: keyId, reason, operation, target: target?.slice(0, 320) ?? null, ip, userAgent });

      let key: ApiKeyPolicy | null = null;
      let caller: ApiCaller | null = null;
      let deny = deniedAs("anonymous", null);
      if (route.scope !== null) {
        const presented = bearerTokenOf(headerOf(req, "authorization") ?? undefined);
        if (presented === null) {
          deny("missing_key", null);
          throw unauthorized("Send an API key: Authorization: Bearer mop_…", false);
        }
        const prefix = prefixOfApiKey(presented);
        const guessing = `unknown-keys:${ip}`;
        const hash = prefix ? hashApiKey(presented) : null;
        if (hash && services.keys.peek(hash) === undefined && services.limiter.isExhausted(guessing, UNKNOWN_KEYS_PER_MINUTE)) {
          deny("unknown_keys_rate_limited", null);
          throw new ApiProblem("rate_limited", "Too many unknown API keys from this address; wait before trying again.", {}, 1);
        }
        const found = hash ? await services.keys.get(hash) : null;
        if (!found) {
          if (hash) services.limiter.take(guessing, UNKNOWN_KEYS_PER_MINUTE);
          // The prefix a client sent is named only when the key has our shape; it proves nothing.
          deniedAs(prefix ? `anonymous (claimed ${prefix})` : "anonymous", null)("unknown_key", null);
          throw unauthorized("This API key is not valid for this portal (unknown, revoked or expired).", true);
        }
        const refusal = keyRefusal(found, Date.now());
        deny = deniedAs(`api-key:${found.prefix}`, found.id);
        if (refusal) {
          deny(`key_${refusal}`, null);
          throw unauthorized("This API key is not valid for this portal (unknown, revoked or expired).", true);
        }
        const allowed = services.limiter.take(found.id, found.rateLimitPerMinute ?? services.defaultRateLimitPerMinute);
        if (!allowed.ok) {
          deny("rate_limited", null);
          throw new ApiProblem("rate_limited", `This key may make ${found.rateLimitPerMinute ?? services.defaultRateLimitPerMinute} requests per minute.`, {}, allowed.retryAfterSeconds);
        }
        if (!found.scopes.has(route.scope)) {
          // "token_read", not "token:read": the audit sanitiser masks anything shaped like "token:<value>".
          deny(`missing_scope:${route.scope.replace(":", "_")}`, matched.params["mailbox"] ?? null);
          throw new ApiProblem("forbidden", `This key was not given the scope ${route.scope}, which this endpoint needs.`);
        }
        key = found;
        caller = { keyId: found.id, keyPrefix: found.prefix, ip, userAgent };
        services.usage.noteKeyUse(found.id);
      }

      const params = "params" in route && route.params ? parsePart(route.params, matched.params, "path") : undefined;
      const query = "query" in route && route.query ? parsePart(route.query, Object.fromEntries(new URLSearchParams(search)), "query") : undefined;
      const rawBody = method === "POST" ? await readJsonBody(req) : undefined;
      const body = "body" in route && route.body ? parsePart(route.body, rawBody, "body") : undefined;
      const ctx = { key, caller, params, query, body, services, deny } as ApiContext;
      // The router guarantees each handler gets its own route's context; the union cannot say so.
      const reply: ApiReply = await (route.handler as (c: ApiContext) => Promise<ApiReply> | ApiReply)(ctx);
      sendBody(res, reply.status, reply.body, reply.contentType ?? JSON_TYPE, reply.headers ? { ...headers, ...reply.headers } : headers);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof ApiProblem) {
        sendProblem(res, error, services.portalUrl, headers);
        return;
      }
      const publicError = toPublicError(error, `token API ${method} ${pathname.slice(0, 200)}`);
      sendProblem(res, new ApiProblem("internal", publicError.message, publicError.reference ? { reference: publicError.reference } : {}), services.portalUrl, headers);
    }
  };
}
