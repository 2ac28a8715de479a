import type { ApiKeyCache } from "@/lib/api/caches/api-key-cache";
import type { MailboxCache } from "@/lib/api/caches/mailbox-cache";
import type { TokenBuckets } from "@/lib/api/rate-limit/token-buckets";
import type { MailboxTokenSource } from "@/lib/api/token/mailbox-token-source";
import type { UsageRecorder } from "@/lib/api/usage/usage-recorder";

/** The token API's in-memory state, one per process (create-token-api.ts). */
export interface ApiServices {
  portalUrl: string;
  secure: boolean;
  trustProxy: boolean;
  defaultRateLimitPerMinute: number;
  keys: ApiKeyCache;
  mailboxes: MailboxCache;
  tokens: MailboxTokenSource;
  limiter: TokenBuckets;
  usage: UsageRecorder;
  /** The OpenAPI document, serialised once. */
  openApiDocument: Buffer;
}
