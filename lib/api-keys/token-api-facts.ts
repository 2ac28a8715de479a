import { getEnv } from "@/lib/env";

/** What the API pages say about this installation's token API (nothing secret). */
export interface TokenApiFacts {
  /** The base URL other software calls: PORTAL_URL. */
  baseUrl: string;
  openApiUrl: string;
  defaultRateLimitPerMinute: number;
  /** How long a revocation may take to reach another instance. */
  cacheRefreshSeconds: number;
}

export function getTokenApiFacts(): TokenApiFacts {
  const env = getEnv();
  return {
    baseUrl: env.portalUrl,
    openApiUrl: `${env.portalUrl}/api/v1/openapi.json`,
    defaultRateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
    cacheRefreshSeconds: env.API_CACHE_REFRESH_SECONDS,
  };
}
