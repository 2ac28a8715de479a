// A focused structural check of an OpenAPI 3.1 document, written from the specification (OAS 3.1.0 §4):
// the version, info, paths whose operations all have responses and unique operationIds, path parameters
// declared for every {template} segment, security requirements naming declared schemes, every $ref
// resolving inside the document, and every schema a valid JSON Schema 2020-12 (Ajv's meta-schema).
import { Ajv2020 } from "ajv/dist/2020.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function resolvePointer(doc: Json, ref: string): Json | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: Json | undefined = doc;
  for (const raw of ref.slice(2).split("/")) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = Array.isArray(node) ? node[Number(part)] : node[part];
    if (node === undefined) return undefined;
  }
  return node;
}

function collectRefs(node: Json, at: string, out: { ref: string; at: string }[]): void {
  if (Array.isArray(node)) node.forEach((n, i) => collectRefs(n, `${at}/${i}`, out));
  else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push({ ref: v, at });
      else collectRefs(v, `${at}/${k}`, out);
    }
  }
}

function collectSchemas(doc: JsonObject): { at: string; schema: Json }[] {
  const found: { at: string; schema: Json }[] = [];
  const components = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  for (const [id, schema] of Object.entries(components)) found.push({ at: `#/components/schemas/${id}`, schema });
  const walk = (node: Json, at: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${at}/${i}`));
    else if (isObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (k === "schema" && !at.startsWith("#/components/schemas")) found.push({ at: `${at}/schema`, schema: v });
        else walk(v, `${at}/${k}`);
      }
    }
  };
  walk(isObject(doc.paths) ? doc.paths : {}, "#/paths");
  return found;
}

/** Everything wrong with the document; empty when it is structurally a valid OpenAPI 3.1 document. */
export function checkOpenApiStructure(input: unknown): string[] {
  const doc = input as Json;
  const problems: string[] = [];
  if (!isObject(doc)) return ["the document is not a JSON object"];
  if (doc.openapi !== "3.1.0") problems.push(`openapi is ${JSON.stringify(doc.openapi)}, not "3.1.0"`);
  if (!isObject(doc.info) || typeof doc.info.title !== "string" || typeof doc.info.version !== "string") problems.push("info needs a title and a version");
  if (!isObject(doc.paths) || Object.keys(doc.paths).length === 0) problems.push("paths is missing or empty");
  const schemes = isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    if (!path.startsWith("/")) problems.push(`path ${path} does not start with /`);
    if (!isObject(item)) {
      problems.push(`path ${path} is not an object`);
      continue;
    }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (!isObject(op)) {
        problems.push(`${where} is not an object`);
        continue;
      }
      if (!isObject(op.responses) || Object.keys(op.responses).length === 0) problems.push(`${where} has no responses`);
      else
        for (const [status, response] of Object.entries(op.responses)) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where} has a response key ${status}`);
          if (!isObject(response) || typeof response.description !== "string") problems.push(`${where} ${status} has no description`);
        }
      if (typeof op.operationId === "string") {
        if (operationIds.has(op.operationId)) problems.push(`operationId ${op.operationId} is used twice`);
        operationIds.add(op.operationId);
      }
      const params = Array.isArray(op.parameters) ? op.parameters.filter(isObject) : [];
      for (const name of templated) {
        const p = params.find((x) => x.name === name && x.in === "path");
        if (!p) problems.push(`${where} does not declare its path parameter ${name}`);
        else if (p.required !== true) problems.push(`${where}: path parameter ${name} must be required`);
      }
      for (const p of params) if (p.in === "path" && typeof p.name === "string" && !templated.includes(p.name)) problems.push(`${where} declares path parameter ${p.name} not in the path`);
      for (const requirement of Array.isArray(op.security) ? op.security : []) {
        if (isObject(requirement)) for (const name of Object.keys(requirement)) if (!(name in schemes)) problems.push(`${where} requires the undeclared security scheme ${name}`);
      }
    }
  }
  const refs: { ref: string; at: string }[] = [];
  collectRefs(doc, "#", refs);
  for (const { ref, at } of refs) if (resolvePointer(doc, ref) === undefined) problems.push(`$ref ${ref} at ${at} does not resolve`);

  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  for (const { at, schema } of collectSchemas(doc)) {
    // $refs point into the document; the meta-schema check is about the keywords, so a stand-in is used.
    const standalone = JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\/components\/schemas\/[^"]+"/g, '"type":"object"')) as Json;
    if (!ajv.validateSchema(standalone as object)) problems.push(`schema at ${at} is not valid JSON Schema 2020-12: ${ajv.errorsText(ajv.errors)}`);
  }
  return problems;
}
