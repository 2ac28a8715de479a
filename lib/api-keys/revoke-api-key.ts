import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { announceApiKeyChange } from "@/lib/api-keys/api-key-changes";
import { authorizeKeyChange, type StaffUser } from "@/lib/api-keys/authorize-key-change";

// Revocation is final (a revoked key is never re-enabled: create a new one). It applies at once on this
// instance (announced to the token API's cache) and within API_CACHE_REFRESH_SECONDS on the others.

export async function revokeApiKey(id: string, user: StaffUser, meta: RequestMeta): Promise<void> {
  const key = await getDb().apiKey.findUnique({ where: { id }, select: { id: true, name: true, prefix: true, keyHash: true, revokedAt: true } });
  await authorizeKeyChange(user, "revoke", meta, key ? { id: key.id, label: key.name } : undefined);
  if (!key) throw new AppError("not_found", "That API key does not exist.");
  if (key.revokedAt) throw new AppError("conflict", "That API key is revoked already.");
  const { count } = await getDb().apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw new AppError("conflict", "That API key is revoked already.");
  announceApiKeyChange({ keyId: key.id, keyHash: key.keyHash });
  await recordAuditEvent({ actor: { id: user.id, label: user.email }, action: "api_key.revoked", target: { type: "api_key", id: key.id, label: key.name }, meta, details: { keyPrefix: key.prefix } });
}
