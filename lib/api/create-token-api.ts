import type { IncomingMessage, ServerResponse } from "node:http";
import { getEnv } from "@/lib/env";
import { logWarn } from "@/lib/log";
import { onApiKeyChange } from "@/lib/api-keys/api-key-changes";
import { loadApiKeyPolicies } from "@/lib/api-keys/load-api-key-policies";
import { addIssuanceCounts, recordApiDenials, touchApiKeysLastUsed } from "@/lib/api-keys/record-api-usage";
import { getAccessTokenForMailbox } from "@/lib/grants/get-access-token";
import { resolvePolicy, type TokenPolicy } from "@/lib/grants/token-policy";
import type { ApiServices } from "@/lib/api/api-services";
import { ApiKeyCache, type LoadPolicies } from "@/lib/api/caches/api-key-cache";
import { MailboxCache, type MailboxLoaders } from "@/lib/api/caches/mailbox-cache";
import { loadApiMailboxesByAddress, loadApiMailboxesById, loadApiMailboxesByIdsOrAddresses } from "@/lib/api/queries/load-api-mailboxes";
import { createApiRequestHandler } from "@/lib/api/handle-api-request";
import { buildOpenApiDocument } from "@/lib/api/openapi/build-openapi-document";
import { TokenBuckets } from "@/lib/api/rate-limit/token-buckets";
import { describeGrantProblem } from "@/lib/api/token/describe-grant-problem";
import { MailboxTokenSource, type GetAccessToken } from "@/lib/api/token/mailbox-token-source";
import { UsageRecorder, type UsageWriters } from "@/lib/api/usage/usage-recorder";

// The token API of one portal process: its caches, rate limits and usage buffer, the request handler
// lib/server/main.ts calls for /api/v1, and the timers that keep the caches current and write the usage.
// Options exist for tests and benchmarks; the portal uses the defaults (environment, real database).

export interface TokenApiOptions {
  portalUrl?: string;
  secure?: boolean;
  trustProxy?: boolean;
  defaultRateLimitPerMinute?: number;
  cacheRefreshMs?: number;
  usageFlushMs?: number;
  /** Token engine timings (tests shorten them). */
  tokenPolicy?: Partial<TokenPolicy>;
  /** Wrappers around the real loaders and writers (tests count calls through them). */
  loadPolicies?: LoadPolicies;
  mailboxLoaders?: MailboxLoaders;
  usageWriters?: UsageWriters;
  getAccessToken?: GetAccessToken;
}

export interface TokenApi {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Re-reads key policies and mailboxes now (what the timer does every API_CACHE_REFRESH_SECONDS). */
  refreshCaches(): Promise<void>;
  /** Writes buffered issuance counts, last-use times and denials now. */
  flushUsage(options?: { final?: boolean }): Promise<void>;
  /** Stops the timers and writes what is buffered (shutdown). */
  close(): Promise<void>;
  readonly services: ApiServices;
}

export const defaultMailboxLoaders: MailboxLoaders = {
  byIds: loadApiMailboxesById,
  byAddress: loadApiMailboxesByAddress,
  byIdsOrAddresses: loadApiMailboxesByIdsOrAddresses,
};

export const defaultUsageWriters: UsageWriters = { addIssuanceCounts, touchApiKeysLastUsed, recordApiDenials };

export function createTokenApi(options: TokenApiOptions = {}): TokenApi {
  const env = getEnv();
  const portalUrl = options.portalUrl ?? env.portalUrl;
  const cacheRefreshMs = options.cacheRefreshMs ?? env.API_CACHE_REFRESH_SECONDS * 1000;
  const usageFlushMs = options.usageFlushMs ?? env.API_USAGE_FLUSH_SECONDS * 1000;
  const policy = resolvePolicy(options.tokenPolicy);
  const getAccessToken = options.getAccessToken ?? ((mailboxId, use) => getAccessTokenForMailbox(mailboxId, use, { policy }));

  const keys = new ApiKeyCache(options.loadPolicies ?? loadApiKeyPolicies);
  let tokens: MailboxTokenSource | null = null;
  const mailboxes = new MailboxCache(options.mailboxLoaders ?? defaultMailboxLoaders, (id) => tokens?.forgetMailbox(id));
  tokens = new MailboxTokenSource({
    getAccessToken,
    describeGrantProblem,
    policy,
    grantProblemMemoryMs: cacheRefreshMs,
    onMailboxGone: (id) => mailboxes.forget(id),
  });
  const services: ApiServices = {
    portalUrl,
    secure: options.secure ?? env.secureCookies,
    trustProxy: options.trustProxy ?? env.TRUST_PROXY,
    defaultRateLimitPerMinute: options.defaultRateLimitPerMinute ?? env.API_RATE_LIMIT_PER_MINUTE,
    keys,
    mailboxes,
    tokens,
    limiter: new TokenBuckets(),
    usage: new UsageRecorder(options.usageWriters ?? defaultUsageWriters),
    openApiDocument: Buffer.from(JSON.stringify(buildOpenApiDocument(portalUrl)), "utf8"),
  };

  let refreshing: Promise<void> | null = null;
  const refreshCaches = () => {
    refreshing ??= (async () => {
      await keys.refresh();
      await mailboxes.refresh();
      services.tokens.sweep();
      services.limiter.sweep();
    })().finally(() => (refreshing = null));
    return refreshing;
  };
  const refreshTimer = setInterval(() => void refreshCaches().catch((e: unknown) => logWarn("The token API could not re-read its cached keys and mailboxes; it keeps the last ones and tries again.", e)), cacheRefreshMs);
  const flushTimer = setInterval(() => void services.usage.flush().catch((e: unknown) => logWarn("The token API could not write its usage records.", e)), usageFlushMs);
  refreshTimer.unref();
  flushTimer.unref();
  const stopListening = onApiKeyChange((change) => keys.invalidate(change.keyHash, change.keyId));

  return {
    handle: createApiRequestHandler(services),
    refreshCaches,
    flushUsage: (o) => services.usage.flush(o),
    async close() {
      clearInterval(refreshTimer);
      clearInterval(flushTimer);
      stopListening();
      await services.usage.flush({ final: true });
    },
    services,
  };
}

/** Whether a request's URL belongs to the token API (served by lib/server, not Next). */
export function isTokenApiPath(url: string | undefined): boolean {
  return url !== undefined && (url === "/api/v1" || url.startsWith("/api/v1/") || url.startsWith("/api/v1?"));
}
