import type { HandlerOf } from "@/lib/api/api-context";
import { getMailboxHealth } from "@/lib/api/endpoints/get-mailbox-health";
import { getOpenApiDocument } from "@/lib/api/endpoints/get-openapi-document";
import { issueMailboxToken } from "@/lib/api/endpoints/issue-mailbox-token";
import { listMailboxes } from "@/lib/api/endpoints/list-mailboxes";
import { compileRoutes } from "@/lib/api/http/match-route";
import { apiRouteSpecs, type ApiOperationId } from "@/lib/api/route-specs";

// One handler per declared route; the type makes a route without a handler (or the reverse) a compile error.
export const apiHandlers: { [Id in ApiOperationId]: HandlerOf<Id> } = {
  issueMailboxToken,
  listMailboxes,
  getMailboxHealth,
  getOpenApiDocument,
};

/** The routes the server answers: every spec, bound to its handler. */
export const apiRoutes = compileRoutes(apiRouteSpecs.map((spec) => ({ ...spec, handler: apiHandlers[spec.operationId] })));

/** `METHOD /path` of every route the server answers, for the test that compares them with the OpenAPI document. */
export function servedOperations(): string[] {
  return apiRoutes.map((r) => `${r.method} ${r.route.path}`);
}
