import type { z } from "zod";
import type { ApiKeyPolicy } from "@/lib/api-keys/api-key-policy";
import type { ApiScope } from "@/lib/api-keys/api-key-scopes";
import type { ApiServices } from "@/lib/api/api-services";
import type { ApiCaller } from "@/lib/api/http/api-caller";
import type { ApiReply } from "@/lib/api/http/json-reply";
import type { ApiOperationId, ApiRouteSpec, ApiRouteSpecOf } from "@/lib/api/route-specs";

// What a handler receives: the key (for authenticated routes), the caller, the params, query and body
// already parsed by the route's schemas, the services, and a way to record a denial.

type OutputOf<S, K extends "params" | "query" | "body"> = S extends { [P in K]: infer Z } ? (Z extends z.ZodType ? z.output<Z> : undefined) : undefined;

export interface ApiContext<S extends ApiRouteSpec = ApiRouteSpec> {
  key: S["scope"] extends ApiScope ? ApiKeyPolicy : null;
  caller: S["scope"] extends ApiScope ? ApiCaller : null;
  params: OutputOf<S, "params">;
  query: OutputOf<S, "query">;
  body: OutputOf<S, "body">;
  services: ApiServices;
  /** Records a refusal as an audit event (batched); the client sees only the problem. */
  deny(reason: string, target: string | null): void;
}

export type HandlerOf<Id extends ApiOperationId> = (ctx: ApiContext<ApiRouteSpecOf<Id>>) => Promise<ApiReply> | ApiReply;
