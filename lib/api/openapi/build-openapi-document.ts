import { z } from "zod";
import { problemCatalog, type ProblemCode } from "@/lib/api/problems";
import { apiSchemas } from "@/lib/api/schemas/api-schema-registry";
import { apiRouteSpecs, commonProblems, type ApiRouteSpec } from "@/lib/api/route-specs";
// Imported for their registration in apiSchemas (the document lists every registered schema).
import "@/lib/api/schemas/problem-schema";

// The OpenAPI 3.1 document of the token API, generated from the route specs and the zod schemas the
// handlers validate with (params, query, body: their input side) and respond through (their output side).
// Registered schemas become components and are referred to by $ref; JSON Schema 2020-12 is 3.1's dialect.

type JsonSchema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  "x-required-scope"?: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; headers?: Record<string, { description: string; schema: JsonSchema }>; content?: Record<string, { schema: JsonSchema }> }>;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string }[];
  paths: Record<string, Partial<Record<"get" | "post", Operation>>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

const REF = (id: string) => `#/components/schemas/${id}`;

/** A schema as JSON Schema without the dialect/id keys that only make sense at a document's root. */
function bare(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const id = apiSchemas.get(schema)?.id;
  if (id) return { $ref: REF(id) };
  return bare(z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema);
}

function parametersOf(object: z.ZodObject | undefined, where: "path" | "query"): Parameter[] {
  if (!object) return [];
  const json = z.toJSONSchema(object, { target: "draft-2020-12", io: "input" }) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: where,
      required: where === "path" || (json.required ?? []).includes(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

function problemResponses(codes: readonly ProblemCode[]): Operation["responses"] {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(problemCatalog[code].status, [...(byStatus.get(problemCatalog[code].status) ?? []), code]);
  const out: Operation["responses"] = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: NonNullable<Operation["responses"][string]["headers"]> = {};
    if (status === 401) headers["WWW-Authenticate"] = { description: 'Bearer realm="mailbox-oauth-portal" (RFC 6750).', schema: { type: "string" } };
    if (status === 429 || status === 503) headers["Retry-After"] = { description: "Seconds to wait before asking again.", schema: { type: "integer", minimum: 1 } };
    out[String(status)] = {
      description: list.map((c) => `\`${c}\`: ${problemCatalog[c].when}`).join(" "),
      ...(Object.keys(headers).length ? { headers } : {}),
      content: { "application/problem+json": { schema: { $ref: REF("Problem") } } },
    };
  }
  return out;
}

function operationOf(spec: ApiRouteSpec): Operation {
  const codes = [...(spec.scope ? commonProblems : (["internal"] as const)), ...spec.problems].filter((c, i, all) => all.indexOf(c) === i);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: [spec.path.includes("/token") ? "tokens" : spec.path.endsWith("openapi.json") ? "meta" : "mailboxes"],
    security: spec.scope ? [{ apiKey: [] }] : [],
    ...(spec.scope ? { "x-required-scope": spec.scope } : {}),
    parameters: [...parametersOf(spec.params, "path"), ...parametersOf(spec.query, "query")],
    ...(spec.body ? { requestBody: { required: false, content: { "application/json": { schema: schemaOf(spec.body, "input") } } } } : {}),
    responses: {
      [String(spec.response.status)]: {
        description: spec.response.description,
        content: { "application/json": { schema: spec.response.schema ? schemaOf(spec.response.schema, "output") : { type: "object" } } },
      },
      ...problemResponses(codes),
    },
  };
}

export function buildOpenApiDocument(portalUrl: string): OpenApiDocument {
  const generated = z.toJSONSchema(apiSchemas, { target: "draft-2020-12", uri: REF }) as { schemas: Record<string, JsonSchema> };
  const schemas = Object.fromEntries(Object.entries(generated.schemas).map(([id, s]) => [id, bare(s)]));
  const paths: OpenApiDocument["paths"] = {};
  for (const spec of apiRouteSpecs) {
    const method = spec.method.toLowerCase() as "get" | "post";
    paths[spec.path] = { ...paths[spec.path], [method]: operationOf(spec) };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Mailbox OAuth Portal token API",
      version: "1.0.0",
      description:
        "Current Microsoft 365 access tokens for mailboxes connected in this portal, for software that reads mail over IMAP/POP3/Graph/EWS or sends over SMTP/Graph/EWS and should not hold refresh tokens. Authenticate with an API key from Settings → API keys as a bearer token. Errors are RFC 9457 problem details with a stable `code`.",
    },
    servers: [{ url: portalUrl, description: "This portal" }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", bearerFormat: "mop_<prefix>_<secret>", description: "An API key created under Settings → API keys: `Authorization: Bearer mop_…`." },
      },
    },
  };
}
