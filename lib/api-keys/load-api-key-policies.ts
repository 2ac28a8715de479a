import { getDb } from "@/lib/db/client";
import { parseMailboxScope, type ApiKeyPolicy } from "@/lib/api-keys/api-key-policy";
import { parseScopes } from "@/lib/api-keys/api-key-scopes";

// The policies of the keys with these hashes, in one query: for a key seen the first time, and for the
// token API's periodic re-read of every key it holds (so a revocation elsewhere reaches it).

export async function loadApiKeyPolicies(keyHashes: readonly string[]): Promise<Map<string, ApiKeyPolicy>> {
  const found = new Map<string, ApiKeyPolicy>();
  if (keyHashes.length === 0) return found;
  const rows = await getDb().apiKey.findMany({
    where: { keyHash: { in: [...keyHashes] } },
    select: {
      id: true,
      name: true,
      prefix: true,
      keyHash: true,
      scopes: true,
      mailboxScope: true,
      mailboxTag: true,
      rateLimitPerMinute: true,
      expiresAt: true,
      revokedAt: true,
      mailboxes: { select: { mailboxId: true } },
    },
  });
  for (const r of rows) {
    found.set(r.keyHash, {
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      scopes: new Set(parseScopes(r.scopes)),
      mailboxScope: parseMailboxScope(r.mailboxScope),
      mailboxIds: new Set(r.mailboxes.map((m) => m.mailboxId)),
      mailboxTag: r.mailboxTag,
      rateLimitPerMinute: r.rateLimitPerMinute,
      expiresAt: r.expiresAt?.getTime() ?? null,
      revokedAt: r.revokedAt?.getTime() ?? null,
    });
  }
  return found;
}
