// Test support for the token API: a real database, the real stand-in (with Dovecot and Postfix when asked),
// app registrations pointing at it as a custom cloud, the token API served by the same handler lib/server
// uses, on a loopback port. Mailboxes and delegated grants come from lib/grants' own test support
// (createMailbox, connectDelegated: a real authorization code redeemed at the stand-in).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { createTokenApi, type TokenApi, type TokenApiOptions } from "@/lib/api/create-token-api";
import { actor, meta, type GrantTestEnv } from "@/lib/grants/test-support/grant-fixture";
import { startStandIn } from "@/e2e/stand-in/start-stand-in";
import { contosoTenantId, fixtureApps, standInCloudFields } from "@/e2e/support/stand-in-cloud";
import { startTestDatabase, type Provider } from "@/e2e/support/test-database";

export const admin = { id: "test-admin", email: "admin@example.com", role: "admin" as const };
export const supportUser = { id: "test-support", email: "support@example.com", role: "support" as const };

export interface TokenApiTestEnv extends GrantTestEnv {
  api: TokenApi;
  baseUrl: string;
  /** Restarts the token API (a new process's empty caches), e.g. after changing options. */
  restartApi(options?: TokenApiOptions): Promise<void>;
}

async function listen(api: TokenApi): Promise<{ server: http.Server; baseUrl: string }> {
  const server = http.createServer((req, res) => void api.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function startTokenApiTestEnv(options: { provider?: Provider; mail?: boolean; api?: TokenApiOptions } = {}): Promise<TokenApiTestEnv> {
  const [db, standIn] = await Promise.all([startTestDatabase(options.provider ?? "sqlite"), startStandIn({ mail: options.mail ?? false })]);
  const save = async (label: string, clientId: string, secret: string, tenant: string) =>
    (
      await saveAppRegistration(
        null,
        { label, ...standInCloudFields(standIn), tenant, audience: "multi_tenant", clientId, credentialType: "secret", clientSecret: secret, credentialExpiresAt: "2030-06-30" },
        actor,
        meta,
      )
    ).appRegistration.id;
  const portalAppId = await save("Portal", fixtureApps.portal.clientId, fixtureApps.portal.secret, "organizations");
  const daemonAppId = await save("Daemon", fixtureApps.daemon.clientId, fixtureApps.daemon.secret, contosoTenantId);
  let api = createTokenApi(options.api);
  let { server, baseUrl } = await listen(api);
  const close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await api.close();
  };
  const env: TokenApiTestEnv = {
    db,
    standIn,
    portalAppId,
    daemonAppId,
    api,
    baseUrl,
    async restartApi(next) {
      await close();
      api = createTokenApi(next ?? options.api);
      ({ server, baseUrl } = await listen(api));
      env.api = api;
      env.baseUrl = baseUrl;
    },
    async stop() {
      await close();
      await standIn.stop();
      await db.cleanup();
    },
  };
  return env;
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  json: T;
}

/** A request as other software sends it: fetch, bearer key, JSON. */
export async function callApi<T = Record<string, unknown>>(env: Pick<TokenApiTestEnv, "baseUrl">, method: string, path: string, key?: string, body?: unknown): Promise<ApiAnswer<T>> {
  const res = await fetch(`${env.baseUrl}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as T };
}

/** An API key made through the real domain function, as an admin would in Settings. */
export async function makeKey(form: { name?: string; scopes?: string[]; mailboxScope?: "all" | "chosen" | "tag"; mailboxes?: string; mailboxTag?: string; rateLimitPerMinute?: string; expiresOn?: string }) {
  return createApiKey({ name: form.name ?? `key ${Math.random().toString(36).slice(2, 8)}`, scopes: form.scopes ?? ["token:read", "mailboxes:read", "health:read"], mailboxScope: form.mailboxScope ?? "all", ...form }, admin, meta);
}
