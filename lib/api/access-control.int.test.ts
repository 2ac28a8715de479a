// Who may do what with the token API, tried the way an attacker would: every endpoint with every kind of
// key: scopes, mailbox reach (all, chosen, by tag; a key for A asking for B is told "not found"), missing,
// malformed, unknown, revoked (here and on another instance) and expired keys, rate limits; denials and
// issuance counts written in batches; pages of the mailbox list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { recordHealthCheck } from "@/lib/health/record-health-check";
import { connectDelegated, createMailbox, meta, testPolicy } from "@/lib/grants/test-support/grant-fixture";
import { flushLastUsedWrites } from "@/lib/grants/touch-last-used";
import { admin, callApi, makeKey, startTokenApiTestEnv, type TokenApiTestEnv } from "@/lib/api/test-support/token-api-test-env";
import { expectNoSecretsLeaked, startSecretWatch, type SecretWatch } from "@/lib/api/test-support/secret-watch";
import { providers } from "@/e2e/support/test-database";

describe.each(providers)("on %s", (provider) => {
  const IMAP = { direction: "inbound", protocol: "imap" } as const;

  let env: TokenApiTestEnv;
  let watch: SecretWatch;
  const box = { a: "", b: "", aAddress: "", bAddress: "" };
  const keys: Record<string, { id: string; key: string; prefix: string }> = {};

  const endpoints = (mailbox: string) =>
    ({
      token: ["POST", `/api/v1/mailboxes/${mailbox}/token?protocol=imap`],
      health: ["GET", `/api/v1/mailboxes/${mailbox}/health`],
      list: ["GET", `/api/v1/mailboxes?limit=200`],
    }) as const;

  type Endpoint = keyof ReturnType<typeof endpoints>;
  const call = (endpoint: Endpoint, mailbox: string, key?: string) => {
    const [method, path] = endpoints(mailbox)[endpoint];
    return callApi<Record<string, unknown> & { data?: { id: string }[] }>(env, method, path, key);
  };

  beforeAll(async () => {
    watch = startSecretWatch();
    env = await startTokenApiTestEnv({ provider, api: { tokenPolicy: testPolicy } });
    box.aAddress = `helpdesk-${Date.now()}@contoso.com`;
    box.bAddress = `sales-${Date.now()}@contoso.com`;
    box.a = await createMailbox(env, { address: box.aAddress });
    box.b = await createMailbox(env, { address: box.bAddress });
    await getDb().mailbox.update({ where: { id: box.a }, data: { tags: ",helpdesk,eu," } });
    await getDb().mailbox.update({ where: { id: box.b }, data: { tags: ",sales," } });
    for (const id of [box.a, box.b]) {
      const { tokens } = await connectDelegated(env, id);
      watch.add(tokens.accessToken, tokens.refreshToken);
    }
    const make = async (name: string, form: Parameters<typeof makeKey>[0]) => {
      const created = await makeKey({ name, ...form });
      watch.add(created.key);
      keys[name] = created;
    };
    await make("all", {});
    await make("chosenA", { mailboxScope: "chosen", mailboxes: box.aAddress });
    await make("tagHelpdesk", { mailboxScope: "tag", mailboxTag: "HelpDesk" });
    await make("tokenOnly", { scopes: ["token:read"] });
    await make("listOnly", { scopes: ["mailboxes:read"] });
    await make("healthOnly", { scopes: ["health:read"] });
  }, 120_000);

  afterAll(async () => {
    await env?.api.flushUsage({ final: true });
    await flushLastUsedWrites();
    if (env) await expectNoSecretsLeaked(watch, env.db);
    watch?.stop();
    await env?.stop();
  });

  describe("scopes: each endpoint needs its own", () => {
    it.each([
      ["tokenOnly", { token: 200, list: 403, health: 403 }],
      ["listOnly", { token: 403, list: 200, health: 403 }],
      ["healthOnly", { token: 403, list: 403, health: 200 }],
      ["all", { token: 200, list: 200, health: 200 }],
    ] as const)("a %s key", async (name, expected) => {
      for (const [endpoint, status] of Object.entries(expected) as [Endpoint, number][]) {
        const answer = await call(endpoint, box.a, keys[name]!.key);
        expect(answer.status, `${name} on ${endpoint}`).toBe(status);
        if (status === 403) expect(answer.json).toMatchObject({ code: "forbidden" });
      }
    });
  });

  describe("mailbox reach: a key for A asking for B is told not found, exactly as for a mailbox that does not exist", () => {
    it.each(["chosenA", "tagHelpdesk"])("a %s key reaches A by ID and address, never B", async (name) => {
      const key = keys[name]!.key;
      for (const ref of [box.a, box.aAddress]) {
        expect((await call("token", ref, key)).status).toBe(200);
        expect((await call("health", ref, key)).status).toBe(200);
      }
      for (const ref of [box.b, box.bAddress]) {
        for (const endpoint of ["token", "health"] as const) {
          const refused = await call(endpoint, ref, key);
          const missing = await call(endpoint, ref.includes("@") ? "nobody@contoso.com" : "c0000000000000000000000000", key);
          expect(refused.status).toBe(404);
          // Indistinguishable: same status, same body.
          expect(refused.json).toEqual(missing.json);
        }
      }
      const list = await call("list", box.a, key);
      expect(list.json.data!.map((m) => m.id)).toEqual([box.a]);
    });

    it("a key for all mailboxes sees both", async () => {
      const list = await call("list", box.a, keys.all!.key);
      expect(list.json.data!.map((m) => m.id)).toEqual(expect.arrayContaining([box.a, box.b]));
    });
  });

  describe("keys that are not valid", () => {
    it("no key, a malformed one, an unknown one: 401 with WWW-Authenticate, on every endpoint", async () => {
      const unknown = `mop_ABCDEFGH_${"x".repeat(43)}`;
      for (const endpoint of ["token", "health", "list"] as const) {
        const none = await call(endpoint, box.a);
        expect(none.status).toBe(401);
        expect(none.headers.get("www-authenticate")).toBe('Bearer realm="mailbox-oauth-portal"');
        for (const bad of ["not-a-key", unknown]) {
          const refused = await call(endpoint, box.a, bad);
          expect(refused.status).toBe(401);
          expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="mailbox-oauth-portal", error="invalid_token"');
          expect(refused.json).toMatchObject({ code: "unauthorized" });
        }
      }
    });

    it("guessing keys: after 60 unknown keys a minute from one address, 429 without looking them up", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 70; i++) statuses.push((await call("list", box.a, `mop_GUESS${String(i).padStart(3, "0")}_${"y".repeat(43)}`)).status);
      expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
      // A key already known is not affected; a new one waits for the bucket (one unknown key a second).
      expect((await call("list", box.a, keys.all!.key)).status).toBe(200);
      const fresh = await makeKey({ name: "new during a guessing storm" });
      watch.add(fresh.key);
      expect((await call("list", box.a, fresh.key)).status).toBe(429);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await call("list", box.a, fresh.key)).status).toBe(200);
    });

    it("revoked in the portal: refused at once, on every endpoint", async () => {
      const created = await makeKey({ name: "to revoke" });
      watch.add(created.key);
      expect((await call("token", box.a, created.key)).status).toBe(200);
      await revokeApiKey(created.id, admin, meta);
      for (const endpoint of ["token", "health", "list"] as const) expect((await call(endpoint, box.a, created.key)).status).toBe(401);
    });

    it("revoked by another instance (straight in the database): refused after the next re-read of the cache", async () => {
      const created = await makeKey({ name: "revoked elsewhere" });
      watch.add(created.key);
      expect((await call("token", box.a, created.key)).status).toBe(200);
      await getDb().apiKey.update({ where: { id: created.id }, data: { revokedAt: new Date() } });
      // Within API_CACHE_REFRESH_SECONDS the cached policy still answers; the re-read is the bound.
      expect((await call("token", box.a, created.key)).status).toBe(200);
      await env.api.refreshCaches();
      expect((await call("token", box.a, created.key)).status).toBe(401);
    });

    it("expired: refused to the second, without waiting for a re-read", async () => {
      const created = await makeKey({ name: "expiring" });
      watch.add(created.key);
      await getDb().apiKey.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() + 1500) } });
      expect((await call("list", box.a, created.key)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1600));
      for (const endpoint of ["token", "health", "list"] as const) expect((await call(endpoint, box.a, created.key)).status).toBe(401);
    });
  });

  describe("rate limits", () => {
    it("a key's own limit: the next request is 429 with Retry-After; another key is not affected", async () => {
      const limited = await makeKey({ name: "slow client", rateLimitPerMinute: "3" });
      watch.add(limited.key);
      for (let i = 0; i < 3; i++) expect((await call("token", box.a, limited.key)).status).toBe(200);
      const refused = await call("token", box.a, limited.key);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("20");
      expect(refused.json).toMatchObject({ code: "rate_limited", retry_after_seconds: 20 });
      expect((await call("token", box.a, keys.all!.key)).status).toBe(200);
    });
  });

  describe("usage and denials, written in batches", () => {
    it("issuances are counted per key, mailbox and day; lastUsedAt is set; nothing is written before the flush", async () => {
      const counted = await makeKey({ name: "counted" });
      watch.add(counted.key);
      await env.api.flushUsage();
      for (let i = 0; i < 7; i++) expect((await call("token", box.a, counted.key)).status).toBe(200);
      expect(await getDb().tokenIssuanceCount.findMany({ where: { apiKeyId: counted.id } })).toEqual([]);
      await env.api.flushUsage({ final: true });
      const rows = await getDb().tokenIssuanceCount.findMany({ where: { apiKeyId: counted.id } });
      expect(rows).toEqual([expect.objectContaining({ mailboxId: box.a, day: new Date().toISOString().slice(0, 10), count: 7 })]);
      for (let i = 0; i < 3; i++) await call("token", box.a, counted.key);
      await env.api.flushUsage();
      expect((await getDb().tokenIssuanceCount.findFirstOrThrow({ where: { apiKeyId: counted.id } })).count).toBe(10);
      expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: counted.id } })).lastUsedAt).not.toBeNull();
    });

    it("closing the API (shutdown) writes what is buffered, last use included", async () => {
      const counted = await makeKey({ name: "at shutdown" });
      watch.add(counted.key);
      for (let i = 0; i < 3; i++) expect((await call("token", box.a, counted.key)).status).toBe(200);
      await env.restartApi();
      expect((await getDb().tokenIssuanceCount.findFirstOrThrow({ where: { apiKeyId: counted.id } })).count).toBe(3);
      expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: counted.id } })).lastUsedAt).not.toBeNull();
    });

    it("denials become audit events naming the key by prefix and the reason, grouped with a count", async () => {
      await env.api.flushUsage();
      await getDb().auditEvent.deleteMany({ where: { action: "api.request_denied" } });
      for (let i = 0; i < 4; i++) await call("token", box.b, keys.chosenA!.key);
      await call("token", box.a, keys.listOnly!.key);
      await call("list", box.a);
      await env.api.flushUsage();
      const events = await getDb().auditEvent.findMany({ where: { action: "api.request_denied" } });
      const byReason = Object.fromEntries(events.map((e) => [JSON.parse(e.details).reason as string, e]));
      expect(byReason["mailbox_not_reachable"]).toMatchObject({ actorLabel: `api-key:${keys.chosenA!.prefix}`, targetId: keys.chosenA!.id, targetLabel: box.b, ip: "127.0.0.1" });
      expect(JSON.parse(byReason["mailbox_not_reachable"]!.details)).toMatchObject({ count: 4, operation: "POST /api/v1/mailboxes/{mailbox}/token" });
      expect(byReason["missing_scope:token_read"]).toMatchObject({ actorLabel: `api-key:${keys.listOnly!.prefix}` });
      expect(byReason["missing_key"]).toMatchObject({ actorLabel: "anonymous" });
    });
  });

  describe("GET /api/v1/mailboxes and /health", () => {
    it("pages by cursor until next_cursor is null, each mailbox once; a forged cursor is refused", async () => {
      for (let i = 0; i < 3; i++) await createMailbox(env);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page++) {
        const answer: { status: number; json: { data: { id: string }[]; next_cursor: string | null } } = await callApi(env, "GET", `/api/v1/mailboxes?limit=2${cursor ? `&cursor=${cursor}` : ""}`, keys.all!.key);
        expect(answer.status).toBe(200);
        expect(answer.json.data.length).toBeLessThanOrEqual(2);
        seen.push(...answer.json.data.map((m) => m.id));
        cursor = answer.json.next_cursor;
        if (!cursor) break;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(await getDb().mailbox.count());
      expect((await callApi(env, "GET", "/api/v1/mailboxes?cursor=bm90LWEtY3Vyc29y", keys.all!.key)).json).toMatchObject({ code: "invalid_request", errors: [{ in: "query" }] });
      expect((await callApi(env, "GET", "/api/v1/mailboxes?limit=1000", keys.all!.key)).json).toMatchObject({ code: "invalid_request", errors: [{ in: "query", name: "limit" }] });
    });

    it("a mailbox's settings and state, and its health with the catalog's explanation of a failed check", async () => {
      await recordHealthCheck(box.a, IMAP, "manual", null, { code: "needs_consent", title: "Sign-in needed", explanation: "Microsoft no longer accepts this mailbox's grant.", fix: "The mailbox owner signs in again.", actor: "mailbox_owner" });
      const list = await callApi<{ data: Record<string, unknown>[] }>(env, "GET", "/api/v1/mailboxes?limit=200", keys.all!.key);
      const a = list.json.data.find((m) => m.id === box.a)!;
      expect(a).toMatchObject({
        address: box.aAddress,
        auth_mode: "delegated",
        tags: ["helpdesk", "eu"],
        protocols: [
          { protocol: "imap", direction: "inbound", server: { security: "tls" } },
          { protocol: "smtp", direction: "outbound", server: { security: "starttls" } },
        ],
        connection: { state: "active", account: "adele.vance@contoso.com" },
        // IMAP failed, SMTP not checked yet: some protocols fail.
        health: { state: "degraded" },
      });
      const health = await callApi(env, "GET", `/api/v1/mailboxes/${box.aAddress}/health`, keys.all!.key);
      expect(health.json).toMatchObject({
        mailbox_id: box.a,
        state: "degraded",
        connection_state: "active",
        connection_problem: null,
        checks: [
          { protocol: "imap", direction: "inbound", ok: false, trigger: "manual", error_class: "needs_consent", problem: { title: "Sign-in needed", actor: "mailbox_owner" } },
          { protocol: "smtp", direction: "outbound", ok: null, checked_at: null, problem: null },
        ],
      });
    });
  });
});
