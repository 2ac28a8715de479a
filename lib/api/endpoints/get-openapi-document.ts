import type { HandlerOf } from "@/lib/api/api-context";

// GET /api/v1/openapi.json: built once at start (openapi/build-openapi-document.ts), public.
export const getOpenApiDocument: HandlerOf<"getOpenApiDocument"> = (ctx) => ({ status: 200, body: ctx.services.openApiDocument });
