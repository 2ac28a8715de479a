import type { z } from "zod";
import type { ApiScope } from "@/lib/api-keys/api-key-scopes";
import type { ProblemCode } from "@/lib/api/problems";
import { mailboxHealthSchema } from "@/lib/api/schemas/mailbox-health-schemas";
import { mailboxListQuerySchema, mailboxListSchema } from "@/lib/api/schemas/mailbox-list-schemas";
import { mailboxPathSchema } from "@/lib/api/schemas/mailbox-ref-schema";
import { tokenBodySchema, tokenQuerySchema, tokenResponseSchema } from "@/lib/api/schemas/token-schemas";

// The token API's endpoints, declared once: the router (router.ts) binds a handler to each, the request
// pipeline validates with their schemas, and the OpenAPI document (openapi/build-openapi-document.ts) is
// generated from them. A route cannot exist in one place and not the others.

export interface ApiRouteSpec {
  operationId: string;
  method: "GET" | "POST";
  /** Full path with `{name}` parameters, as the OpenAPI document lists it. */
  path: string;
  summary: string;
  description: string;
  /** The scope a key needs; null: public (the OpenAPI document). */
  scope: ApiScope | null;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success answer's schema; null: a JSON object described in prose (the OpenAPI document itself). */
  response: { status: 200; description: string; schema: z.ZodType | null };
  /** Problems this endpoint answers with besides those every authenticated endpoint may give. */
  problems: readonly ProblemCode[];
}

/** Every authenticated endpoint may answer these. */
export const commonProblems = ["invalid_request", "unauthorized", "forbidden", "rate_limited", "internal"] as const satisfies readonly ProblemCode[];

export const apiRouteSpecs = [
  {
    operationId: "issueMailboxToken",
    method: "POST",
    path: "/api/v1/mailboxes/{mailbox}/token",
    summary: "Get a current access token for one protocol of a mailbox",
    description:
      "Returns a token valid for at least 5 more minutes, with the SASL XOAUTH2 string and the server to use it at. The portal keeps the refresh token; it refreshes when needed (once for all callers) and otherwise answers from memory.",
    scope: "token:read",
    params: mailboxPathSchema,
    query: tokenQuerySchema,
    body: tokenBodySchema,
    response: { status: 200, description: "A current token.", schema: tokenResponseSchema },
    problems: ["not_found", "ambiguous_mailbox", "protocol_not_configured", "not_connected", "needs_consent", "credential_invalid", "app_missing", "blocked_by_policy", "upstream_unavailable"],
  },
  {
    operationId: "listMailboxes",
    method: "GET",
    path: "/api/v1/mailboxes",
    summary: "List the mailboxes this key may reach",
    description: "Settings and state of each mailbox (never a secret), by address, in pages: pass next_cursor as cursor until it is null.",
    scope: "mailboxes:read",
    query: mailboxListQuerySchema,
    response: { status: 200, description: "One page of mailboxes.", schema: mailboxListSchema },
    problems: [],
  },
  {
    operationId: "getMailboxHealth",
    method: "GET",
    path: "/api/v1/mailboxes/{mailbox}/health",
    summary: "The latest protocol checks of a mailbox",
    description: "The mailbox's health state and the latest check of each protocol it uses, with the catalog's explanation of a failure.",
    scope: "health:read",
    params: mailboxPathSchema,
    response: { status: 200, description: "The mailbox's health.", schema: mailboxHealthSchema },
    problems: ["not_found", "ambiguous_mailbox"],
  },
  {
    operationId: "getOpenApiDocument",
    method: "GET",
    path: "/api/v1/openapi.json",
    summary: "This API's OpenAPI 3.1 document",
    description: "Generated from the schemas the handlers validate with and respond through. No key needed.",
    scope: null,
    response: { status: 200, description: "The OpenAPI 3.1 document.", schema: null },
    problems: [],
  },
] as const satisfies readonly ApiRouteSpec[];

export type ApiOperationId = (typeof apiRouteSpecs)[number]["operationId"];
export type ApiRouteSpecOf<Id extends ApiOperationId> = Extract<(typeof apiRouteSpecs)[number], { operationId: Id }>;
