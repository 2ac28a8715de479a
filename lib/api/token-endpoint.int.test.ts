// POST /api/v1/mailboxes/{mailbox}/token against the real stand-in and a real SQLite database, through the
// request handler lib/server uses: fresh, cached (no request at the stand-in, no engine call, no database
// read), refreshed (once for a storm), needs_consent with the consent link, credential_invalid, Microsoft down
// with and without a token still valid, and the problems a client can cause.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { confirmAppOnlyAccess } from "@/lib/consent/confirm-app-only-access";
import { createConsentLink } from "@/lib/consent/consent-links";
import { getAccessTokenForMailbox } from "@/lib/grants/get-access-token";
import { ADELE, actor, connectDelegated, createMailbox, expireAccessTokens, meta, refreshCount, testPolicy } from "@/lib/grants/test-support/grant-fixture";
import { flushLastUsedWrites } from "@/lib/grants/touch-last-used";
import type { ApiKeyPolicy } from "@/lib/api-keys/api-key-policy";
import { loadApiKeyPolicies } from "@/lib/api-keys/load-api-key-policies";
import { defaultMailboxLoaders } from "@/lib/api/create-token-api";
import { callApi, makeKey, startTokenApiTestEnv, type TokenApiTestEnv } from "@/lib/api/test-support/token-api-test-env";
import { expectNoSecretsLeaked, startSecretWatch, type SecretWatch } from "@/lib/api/test-support/secret-watch";

const calls = { engine: 0, keys: 0, mailboxes: 0 };
// The product's backoff after a failed refresh is 30 s and up; 5–10 s keeps the test short and still longer than a storm.
const policy = { ...testPolicy, failureBackoffBaseMs: 10_000, failureBackoffMaxMs: 10_000 };
const tokenOf = (path: string, key: string) => callApi<{ access_token: string; [k: string]: unknown }>(env, "POST", path, key);

let env: TokenApiTestEnv;
let watch: SecretWatch;
let key: string;

beforeAll(async () => {
  watch = startSecretWatch();
  env = await startTokenApiTestEnv({
    api: {
      tokenPolicy: policy,
      // The real engine, loaders and database behind counters: the cached path must not reach any of them.
      getAccessToken: (id, use) => (calls.engine++, getAccessTokenForMailbox(id, use, { policy })),
      loadPolicies: (hashes: readonly string[]): Promise<Map<string, ApiKeyPolicy>> => (calls.keys++, loadApiKeyPolicies(hashes)),
      mailboxLoaders: {
        byIds: (ids) => (calls.mailboxes++, defaultMailboxLoaders.byIds(ids)),
        byAddress: (a) => (calls.mailboxes++, defaultMailboxLoaders.byAddress(a)),
        byIdsOrAddresses: (ids, a) => (calls.mailboxes++, defaultMailboxLoaders.byIdsOrAddresses(ids, a)),
      },
    },
  });
  key = (await makeKey({ name: "help desk" })).key;
  watch.add(key);
}, 120_000);

afterAll(async () => {
  await env?.api.flushUsage({ final: true });
  await flushLastUsedWrites();
  if (env) await expectNoSecretsLeaked(watch, env.db);
  watch?.stop();
  await env?.stop();
});

beforeEach(async () => {
  await env.standIn.control.reset();
});

async function connectedMailbox(options: Parameters<typeof createMailbox>[1] = {}) {
  const mailboxId = await createMailbox(env, options);
  const connected = await connectDelegated(env, mailboxId);
  watch.add(connected.tokens.accessToken, connected.tokens.refreshToken);
  return { mailboxId, ...connected };
}

describe("a fresh token, then the same token from memory", () => {
  it("answers with the token, its audience and scopes, the SASL user, the XOAUTH2 string and the server", async () => {
    const { mailboxId, tokens } = await connectedMailbox({ address: ADELE });
    const first = await tokenOf(`/api/v1/mailboxes/${ADELE}/token?protocol=imap`, key);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.json).toMatchObject({
      access_token: tokens.accessToken,
      token_type: "Bearer",
      audience: "https://outlook.office.com",
      protocol: "imap",
      mailbox_id: mailboxId,
      sasl_user: ADELE,
      server: { host: "127.0.0.1", port: 1, security: "tls", url: null },
    });
    expect(first.json.scopes).toEqual(expect.arrayContaining(["IMAP.AccessAsUser.All", "SMTP.Send"]));
    expect(Buffer.from(String(first.json.xoauth2), "base64").toString("utf8")).toBe(`user=${ADELE}\x01auth=Bearer ${tokens.accessToken}\x01\x01`);
    expect(Date.parse(String(first.json.expires_at))).toBeGreaterThan(Date.now() + 5 * 60_000);
    expect(await env.standIn.verifyAccessToken(first.json.access_token)).not.toBeNull();
    expect(await refreshCount(env)).toBe(0);

    // Second call, by ID, and SMTP (same resource, another server): no engine call, no database read, nothing at the stand-in.
    const before = { ...calls };
    const requestsBefore = await env.standIn.control.countRequests();
    const second = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    const smtp = await tokenOf(`/api/v1/mailboxes/${ADELE}/token?protocol=smtp`, key);
    expect(second.json.access_token).toBe(tokens.accessToken);
    expect(smtp.json).toMatchObject({ access_token: tokens.accessToken, protocol: "smtp", server: { port: 1, security: "starttls" } });
    expect(calls.engine).toBe(before.engine);
    expect(calls.keys).toBe(before.keys);
    // The ID was looked up once (it was first seen by address); the address answer was served from memory.
    expect(calls.mailboxes).toBeLessThanOrEqual(before.mailboxes + 1);
    const third = { ...calls };
    await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    expect(calls).toEqual(third);
    expect(await env.standIn.control.countRequests()).toBe(requestsBefore);
  });
});

describe("other protocols and modes", () => {
  it("Graph: a token for Microsoft Graph, the base URL as the server", async () => {
    const { mailboxId } = await connectedMailbox({ inbound: "graph", outbound: "graph" });
    const answer = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=graph`, key);
    expect(answer.status).toBe(200);
    watch.add(answer.json.access_token);
    expect(answer.json).toMatchObject({ audience: "https://graph.microsoft.com", protocol: "graph", server: { host: "127.0.0.1", security: "tls", url: `https://${env.standIn.hosts.graph}/v1.0` } });
    expect(answer.json.scopes).toEqual(expect.arrayContaining(["Mail.Read", "Mail.Send"]));
    expect(await env.standIn.verifyAccessToken(answer.json.access_token)).not.toBeNull();
  });

  it("app-only: a client-credentials token with the app's roles, the mailbox as the SASL user", async () => {
    const address = "alex.wilber@contoso.com";
    const mailboxId = await createMailbox(env, { address, authMode: "app_only" });
    expect(await confirmAppOnlyAccess(env.daemonAppId, actor, meta)).toMatchObject({ ok: true });
    const answer = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    expect(answer.status).toBe(200);
    watch.add(answer.json.access_token);
    expect(answer.json).toMatchObject({ audience: "https://outlook.office365.com", sasl_user: address });
    expect(answer.json.scopes).toEqual(expect.arrayContaining(["IMAP.AccessAsApp", "SMTP.SendAsApp"]));
  });
});

describe("refresh", () => {
  it("an expired stored token is refreshed once for 300 concurrent requests, then served from memory", async () => {
    const { mailboxId, grantId, tokens } = await connectedMailbox();
    await expireAccessTokens(grantId);
    const engineBefore = calls.engine;
    const answers = await Promise.all(Array.from({ length: 300 }, () => tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const issued = new Set(answers.map((a) => a.json.access_token));
    expect(issued.size).toBe(1);
    const [token] = issued;
    watch.add(token);
    expect(token).not.toBe(tokens.accessToken);
    expect(await refreshCount(env)).toBe(1);
    expect(calls.engine - engineBefore).toBe(1);
    expect(await env.standIn.verifyAccessToken(token!)).not.toBeNull();
    expect((await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=smtp`, key)).json.access_token).toBe(token);
    expect(await refreshCount(env)).toBe(1);
  });
});

describe("grant problems, each with its code and the catalog's explanation", () => {
  it("needs_consent: the user's sessions revoked at Microsoft; the answer carries the still-valid consent link", async () => {
    const { mailboxId, grantId } = await connectedMailbox();
    const link = await createConsentLink(mailboxId, actor, meta);
    watch.add(link.url.split("/").pop()!);
    await env.standIn.control.revokeUser(ADELE);
    await expireAccessTokens(grantId);
    const answer = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    expect(answer.status).toBe(409);
    expect(answer.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(answer.json).toMatchObject({
      code: "needs_consent",
      status: 409,
      type: `${env.api.services.portalUrl}/api#problem-needs_consent`,
      explanation: { code: "AADSTS50173", actor: "mailbox_owner", fix: expect.any(String) },
      consent_link: { url: link.url, expires_at: link.expiresAt.toISOString() },
    });
    // Asked again: answered from the stored state (and from memory), not by asking Microsoft again.
    await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    expect(await refreshCount(env)).toBe(1);
  });

  it("needs_consent without a consent link: consent_link is null", async () => {
    const { mailboxId, grantId } = await connectedMailbox();
    await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "refresh_token_inactive" });
    await expireAccessTokens(grantId);
    const answer = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    expect(answer.json).toMatchObject({ code: "needs_consent", consent_link: null, explanation: { code: "AADSTS700082" } });
  });

  it("credential_invalid: Microsoft refuses the app's secret", async () => {
    const { mailboxId, grantId } = await connectedMailbox();
    await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "invalid_client_secret" });
    await expireAccessTokens(grantId);
    const answer = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ code: "credential_invalid", explanation: { code: "AADSTS7000215", actor: "admin" } });
    expect(answer.json).not.toHaveProperty("consent_link");
  });

  it("not_connected: the mailbox was never connected", async () => {
    const mailboxId = await createMailbox(env);
    const answer = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ code: "not_connected", explanation: { code: "not_connected" } });
  });
});

describe("Microsoft down", () => {
  it("with a token still valid (inside the 5-minute margin): the token is served while the refresh hangs, and a storm asks nobody", async () => {
    const { mailboxId, grantId, tokens } = await connectedMailbox();
    await expireAccessTokens(grantId, new Date(Date.now() + 2 * 60_000));
    await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "hang", times: 10 });
    const answer = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    expect(answer.status).toBe(200);
    expect(answer.json.access_token).toBe(tokens.accessToken);
    const asked = await refreshCount(env);
    expect(asked).toBeGreaterThanOrEqual(1);
    const storm = await Promise.all(Array.from({ length: 100 }, () => tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key)));
    expect(storm.every((a) => a.status === 200 && a.json.access_token === tokens.accessToken)).toBe(true);
    expect(await refreshCount(env)).toBe(asked);
  });

  it("without a valid token: 503 upstream_unavailable with Retry-After, and until then nobody asks Microsoft again", async () => {
    const { mailboxId, grantId } = await connectedMailbox();
    await expireAccessTokens(grantId);
    await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "server_error", times: 100 });
    const answer = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    expect(answer.status).toBe(503);
    const retryAfter = Number(answer.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(answer.json).toMatchObject({ code: "upstream_unavailable", retry_after_seconds: retryAfter, explanation: { actor: "retry" } });
    const asked = await refreshCount(env);
    expect(asked).toBe(testPolicy.maxAttempts ?? 3);
    const engineBefore = calls.engine;
    const storm = await Promise.all(Array.from({ length: 200 }, () => tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key)));
    expect(storm.every((a) => a.status === 503 && Number(a.headers.get("retry-after")) >= 1)).toBe(true);
    expect(await refreshCount(env)).toBe(asked);
    expect(calls.engine).toBe(engineBefore);

    // After Retry-After (and with Microsoft back) the next request gets a new token.
    await env.standIn.control.clearFaults();
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    const recovered = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key);
    expect(recovered.status).toBe(200);
    watch.add(recovered.json.access_token);
    expect(await refreshCount(env)).toBe(asked + 1);
  });
});

describe("problems a client causes", () => {
  it("a protocol the mailbox does not use: protocol_not_configured", async () => {
    const { mailboxId } = await connectedMailbox();
    const answer = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token?protocol=graph`, key);
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ code: "protocol_not_configured" });
  });

  it("a missing or unknown protocol: invalid_request naming the query value", async () => {
    const { mailboxId } = await connectedMailbox();
    for (const query of ["", "?protocol=carrier-pigeon"]) {
      const answer = await tokenOf(`/api/v1/mailboxes/${mailboxId}/token${query}`, key);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ code: "invalid_request", errors: [{ in: "query", name: "protocol" }] });
    }
  });

  it("a body that is not an empty JSON object: invalid_request", async () => {
    const { mailboxId } = await connectedMailbox();
    const answer = await callApi(env, "POST", `/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key, { protocol: "imap" });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: "invalid_request", errors: [{ in: "body" }] });
    expect((await callApi(env, "POST", `/api/v1/mailboxes/${mailboxId}/token?protocol=imap`, key, {})).status).toBe(200);
  });

  it("an unknown mailbox: not_found; another method: 405 with Allow; an unknown path: 404", async () => {
    expect((await tokenOf(`/api/v1/mailboxes/nobody@contoso.com/token?protocol=imap`, key)).json).toMatchObject({ status: 404, code: "not_found" });
    const get = await callApi(env, "GET", `/api/v1/mailboxes/x/token?protocol=imap`, key);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect((await callApi(env, "GET", `/api/v1/nothing-here`, key)).json).toMatchObject({ status: 404, code: "not_found" });
  });
});
