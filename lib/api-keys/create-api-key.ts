import { getDb, isUniqueConstraintError } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { announceApiKeyChange } from "@/lib/api-keys/api-key-changes";
import { apiKeyFormSchema } from "@/lib/api-keys/api-key-form";
import { generateApiKey } from "@/lib/api-keys/api-key-format";
import { formatScopes } from "@/lib/api-keys/api-key-scopes";
import { authorizeKeyChange, type StaffUser } from "@/lib/api-keys/authorize-key-change";
import { fieldErrorsOf } from "@/lib/validation";

// Creates a key and returns it once: the caller shows it to the admin and forgets it. Only its SHA-256
// and its prefix are stored; the audit record names the prefix, never the key.

export interface CreatedApiKey {
  id: string;
  name: string;
  prefix: string;
  /** The whole key: shown once, never stored, never logged. */
  key: string;
}

async function mailboxIdsFor(refs: string[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const rows = await getDb().mailbox.findMany({ where: { OR: [{ address: { in: refs } }, { id: { in: refs } }] }, select: { id: true, address: true } });
  const known = new Set(rows.flatMap((r) => [r.id, r.address]));
  const unknown = refs.filter((r) => !known.has(r));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 5).join(", ") + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : "");
    throw new AppError("validation", "Some fields need attention; see the messages beside them.", { mailboxes: `No mailbox is configured for ${shown}. Add it under Mailboxes first, or check the spelling.` });
  }
  return [...new Set(rows.map((r) => r.id))];
}

export async function createApiKey(raw: unknown, user: StaffUser, meta: RequestMeta): Promise<CreatedApiKey> {
  await authorizeKeyChange(user, "create", meta);
  const parsed = apiKeyFormSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("validation", "Some fields need attention; see the messages beside them.", fieldErrorsOf(parsed.error));
  const input = parsed.data;
  const mailboxIds = await mailboxIdsFor(input.mailboxRefs);

  for (let attempt = 1; ; attempt++) {
    const generated = generateApiKey();
    try {
      const row = await getDb().apiKey.create({
        data: {
          name: input.name,
          prefix: generated.prefix,
          keyHash: generated.keyHash,
          scopes: formatScopes(input.scopes),
          mailboxScope: input.mailboxScope,
          mailboxTag: input.mailboxTag,
          rateLimitPerMinute: input.rateLimitPerMinute,
          expiresAt: input.expiresAt,
          createdBy: user.email,
          mailboxes: { create: mailboxIds.map((mailboxId) => ({ mailboxId })) },
        },
        select: { id: true, name: true, prefix: true },
      });
      await recordAuditEvent({
        actor: { id: user.id, label: user.email },
        action: "api_key.created",
        target: { type: "api_key", id: row.id, label: row.name },
        meta,
        details: {
          keyPrefix: row.prefix,
          // "token_read": the audit sanitiser would mask "token:read" as if it were a token.
          scopes: input.scopes.map((scope) => scope.replace(":", "_")),
          mailboxScope: input.mailboxScope,
          mailboxes: mailboxIds.length,
          tag: input.mailboxTag,
          expiresAt: input.expiresAt?.toISOString() ?? null,
          rateLimitPerMinute: input.rateLimitPerMinute,
        },
      });
      // A key the API looked up before it existed (a client trying early) must not stay "unknown" in its cache.
      announceApiKeyChange({ keyId: row.id, keyHash: generated.keyHash });
      return { ...row, key: generated.key };
    } catch (error) {
      // The 8-character prefix may collide (1 in 62^8 per pair); a new key is drawn.
      if (isUniqueConstraintError(error) && attempt < 5) continue;
      throw error;
    }
  }
}
