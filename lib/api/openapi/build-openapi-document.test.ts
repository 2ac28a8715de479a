import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/api/openapi/build-openapi-document";
import { apiRouteSpecs } from "@/lib/api/route-specs";
import { checkOpenApiStructure } from "@/lib/api/test-support/check-openapi-structure";

describe("the OpenAPI document", () => {
  const doc = buildOpenApiDocument("https://portal.example.com");

  it("is structurally a valid OpenAPI 3.1 document", () => {
    expect(checkOpenApiStructure(doc)).toEqual([]);
  });

  it("the check finds what is wrong (it can fail)", () => {
    const broken = JSON.parse(JSON.stringify(doc)) as Omit<typeof doc, "paths"> & { paths: Record<string, Record<string, { responses?: unknown; parameters?: unknown[] }>> };
    (broken as { openapi: string }).openapi = "3.0.3";
    delete broken.paths["/api/v1/mailboxes"]!.get!.responses;
    broken.paths["/api/v1/mailboxes/{mailbox}/health"]!.get!.parameters = [];
    (broken.components.schemas["TokenResponse"] as { properties: Record<string, unknown> }).properties["server"] = { $ref: "#/components/schemas/Nope" };
    (broken.components.schemas["Explanation"] as Record<string, unknown>)["type"] = "thing";
    const problems = checkOpenApiStructure(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('not "3.1.0"'),
        "GET /api/v1/mailboxes has no responses",
        "GET /api/v1/mailboxes/{mailbox}/health does not declare its path parameter mailbox",
        expect.stringContaining("$ref #/components/schemas/Nope"),
        expect.stringContaining("schema at #/components/schemas/Explanation is not valid"),
      ]),
    );
  });

  it("lists every route spec, with its scope, parameters and problems", () => {
    for (const spec of apiRouteSpecs) {
      const op = doc.paths[spec.path]?.[spec.method.toLowerCase() as "get" | "post"];
      expect(op?.operationId).toBe(spec.operationId);
      expect(op?.["x-required-scope"]).toBe(spec.scope ?? undefined);
    }
    const token = doc.paths["/api/v1/mailboxes/{mailbox}/token"]!.post!;
    expect(token.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual(["path:mailbox:true", "query:protocol:true"]);
    expect(token.parameters[1]!.schema).toMatchObject({ enum: ["imap", "pop3", "smtp", "graph", "ews"] });
    expect(Object.keys(token.responses)).toEqual(["200", "400", "401", "403", "404", "409", "429", "500", "503"]);
    expect(token.responses["200"]!.content!["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/TokenResponse" });
    expect(token.responses["429"]!.headers!["Retry-After"]).toBeDefined();
    expect(token.responses["401"]!.headers!["WWW-Authenticate"]).toBeDefined();
    expect(doc.paths["/api/v1/mailboxes"]!.get!.parameters.map((p) => `${p.name}:${p.required}`)).toEqual(["limit:false", "cursor:false"]);
    expect(doc.paths["/api/v1/openapi.json"]!.get!.security).toEqual([]);
    expect(doc.servers[0]!.url).toBe("https://portal.example.com");
  });
});
