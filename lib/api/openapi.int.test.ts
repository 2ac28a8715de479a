// The OpenAPI document as served at /api/v1/openapi.json matches the server: the routes the router answers
// are exactly the document's operations (compared, then probed over HTTP), and real answers of every kind
// (tokens, lists, health, each problem) validate against the document's own schemas (JSON Schema 2020-12).
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { ADELE, connectDelegated, createMailbox, expireAccessTokens, testPolicy } from "@/lib/grants/test-support/grant-fixture";
import { flushLastUsedWrites } from "@/lib/grants/touch-last-used";
import { servedOperations } from "@/lib/api/router";
import { checkOpenApiStructure } from "@/lib/api/test-support/check-openapi-structure";
import { makeKey, startTokenApiTestEnv, type TokenApiTestEnv } from "@/lib/api/test-support/token-api-test-env";
import { expectNoSecretsLeaked, startSecretWatch, type SecretWatch } from "@/lib/api/test-support/secret-watch";

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
}

let env: TokenApiTestEnv;
let watch: SecretWatch;
let doc: OpenApiDoc;
let ajv: Ajv2020;

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
const validators = new Map<string, ValidateFunction>();
const checked: string[] = [];

/** Validates an answer against the schema the document gives for its operation, status and content type. */
async function expectDocumented(method: string, template: string, path: string, init: { key?: string; body?: unknown } = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${env.baseUrl}${path}`, {
    method,
    headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  const contentType = res.headers.get("content-type")!.split(";")[0]!;
  const operation = doc.paths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is in the document`).toBeDefined();
  const response = operation!.responses[String(res.status)];
  expect(response, `${method} ${template} documents status ${res.status}`).toBeDefined();
  expect(response!.content?.[contentType], `${method} ${template} ${res.status} documents ${contentType}`).toBeDefined();
  const ref = `https://portal.invalid/openapi.json#/${pointer("paths", template, method.toLowerCase(), "responses", String(res.status), "content", contentType, "schema")}`;
  let validate = validators.get(ref);
  if (!validate) validators.set(ref, (validate = ajv.compile({ $ref: ref })));
  expect(validate(json), `${method} ${path} → ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  checked.push(`${method} ${template} ${res.status}${json.code ? ` ${String(json.code)}` : ""}`);
  return { status: res.status, json };
}

beforeAll(async () => {
  watch = startSecretWatch();
  env = await startTokenApiTestEnv({ api: { tokenPolicy: { ...testPolicy, failureBackoffBaseMs: 5000, failureBackoffMaxMs: 5000 } } });
  doc = (await (await fetch(`${env.baseUrl}/api/v1/openapi.json`)).json()) as OpenApiDoc;
  ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ ...(doc as object), $id: "https://portal.invalid/openapi.json" });
}, 120_000);

afterAll(async () => {
  await env?.api.flushUsage({ final: true });
  await flushLastUsedWrites();
  if (env) await expectNoSecretsLeaked(watch, env.db);
  watch?.stop();
  await env?.stop();
});

describe("the served document", () => {
  it("is structurally valid OpenAPI 3.1", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(checkOpenApiStructure(doc)).toEqual([]);
  });

  it("lists exactly the operations the server routes", () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(servedOperations().sort());
  });

  it("every documented operation is answered by a handler, every other method of its path is 405 with Allow", async () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const concrete = path.replace("{mailbox}", "someone@contoso.com");
      for (const method of Object.keys(item)) {
        const res = await fetch(`${env.baseUrl}${concrete}`, { method: method.toUpperCase() });
        const body = (await res.json()) as { code?: string };
        // Without a key: 401 from an authenticated route, 200 from a public one; never "no such endpoint".
        expect([200, 401], `${method} ${path}`).toContain(res.status);
        expect(body.code).not.toBe("not_found");
      }
      for (const method of ["PUT", "DELETE", "PATCH", "GET", "POST"].filter((m) => !(m.toLowerCase() in item))) {
        const res = await fetch(`${env.baseUrl}${concrete}`, { method });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get("allow")).toBe(Object.keys(item).map((m) => m.toUpperCase()).join(", "));
        await res.arrayBuffer();
      }
    }
  });
});

describe("real answers validate against the document's schemas", () => {
  it("successes and every problem a client can meet", async () => {
    const key = await makeKey({ name: "documented" });
    const listOnly = await makeKey({ name: "list only", scopes: ["mailboxes:read"] });
    const slow = await makeKey({ name: "slow", rateLimitPerMinute: "1" });
    watch.add(key.key, listOnly.key, slow.key);
    const adele = await createMailbox(env, { address: ADELE });
    const { grantId, tokens } = await connectDelegated(env, adele);
    watch.add(tokens.accessToken, tokens.refreshToken);
    const idle = await createMailbox(env, { inbound: "graph", outbound: "graph" });

    const T = "/api/v1/mailboxes/{mailbox}/token";
    const H = "/api/v1/mailboxes/{mailbox}/health";
    const L = "/api/v1/mailboxes";
    const token = await expectDocumented("POST", T, `/api/v1/mailboxes/${ADELE}/token?protocol=imap`, { key: key.key });
    expect(token.status).toBe(200);
    watch.add(String(token.json.xoauth2));
    expect((await expectDocumented("POST", T, `/api/v1/mailboxes/${adele}/token?protocol=smtp`, { key: key.key, body: {} })).status).toBe(200);
    expect((await expectDocumented("GET", L, "/api/v1/mailboxes?limit=1", { key: key.key })).json.next_cursor).not.toBeNull();
    await expectDocumented("GET", H, `/api/v1/mailboxes/${adele}/health`, { key: key.key });
    await expectDocumented("GET", "/api/v1/openapi.json", "/api/v1/openapi.json");

    await expectDocumented("POST", T, `/api/v1/mailboxes/${adele}/token?protocol=nntp`, { key: key.key });
    await expectDocumented("POST", T, `/api/v1/mailboxes/${adele}/token?protocol=imap`, { key: "mop_nope" });
    await expectDocumented("GET", H, `/api/v1/mailboxes/${adele}/health`);
    await expectDocumented("POST", T, `/api/v1/mailboxes/${adele}/token?protocol=imap`, { key: listOnly.key });
    await expectDocumented("POST", T, `/api/v1/mailboxes/nobody@contoso.com/token?protocol=imap`, { key: key.key });
    await expectDocumented("GET", H, `/api/v1/mailboxes/nobody@contoso.com/health`, { key: key.key });
    await expectDocumented("POST", T, `/api/v1/mailboxes/${adele}/token?protocol=graph`, { key: key.key });
    await expectDocumented("POST", T, `/api/v1/mailboxes/${idle}/token?protocol=graph`, { key: key.key });
    await expectDocumented("GET", L, "/api/v1/mailboxes?cursor=zzz", { key: key.key });
    await expectDocumented("GET", L, "/api/v1/mailboxes", { key: slow.key });
    expect((await expectDocumented("GET", L, "/api/v1/mailboxes", { key: slow.key })).status).toBe(429);

    // Microsoft down and no valid token: 503; then a revoked user: needs_consent.
    await expireAccessTokens(grantId);
    await env.restartApi(); // a fresh process: the token is no longer in memory either
    await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "server_error", times: 3 });
    expect((await expectDocumented("POST", T, `/api/v1/mailboxes/${adele}/token?protocol=imap`, { key: key.key })).status).toBe(503);
    await env.standIn.control.clearFaults();
    await getDb().grant.update({ where: { id: grantId }, data: { nextAttemptAt: null, failureCount: 0 } });
    await env.restartApi(); // a fresh process: nothing remembered
    await env.standIn.control.revokeUser(ADELE);
    expect((await expectDocumented("POST", T, `/api/v1/mailboxes/${adele}/token?protocol=imap`, { key: key.key })).json.code).toBe("needs_consent");

    expect(checked).toEqual(
      expect.arrayContaining([
        `POST ${T} 200`,
        `GET ${L} 200`,
        `GET ${H} 200`,
        "GET /api/v1/openapi.json 200",
        `POST ${T} 400 invalid_request`,
        `POST ${T} 401 unauthorized`,
        `GET ${H} 401 unauthorized`,
        `POST ${T} 403 forbidden`,
        `POST ${T} 404 not_found`,
        `GET ${H} 404 not_found`,
        `POST ${T} 409 protocol_not_configured`,
        `POST ${T} 409 not_connected`,
        `GET ${L} 400 invalid_request`,
        `GET ${L} 429 rate_limited`,
        `POST ${T} 503 upstream_unavailable`,
        `POST ${T} 409 needs_consent`,
      ]),
    );
  });
});
