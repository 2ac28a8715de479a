import type { ApiScope } from "@/lib/api-keys/api-key-scopes";

// What the token API needs to know about a key on every request, held in memory (lib/api): who it is,
// what it may do, which mailboxes it may reach, its limits. Pure decisions, no database.

export type MailboxScope = "all" | "chosen" | "tag";

export interface ApiKeyPolicy {
  id: string;
  name: string;
  prefix: string;
  scopes: ReadonlySet<ApiScope>;
  mailboxScope: MailboxScope;
  /** mailboxScope "chosen": the mailbox IDs. */
  mailboxIds: ReadonlySet<string>;
  /** mailboxScope "tag": the tag (lower case). */
  mailboxTag: string | null;
  /** null: the portal's default (API_RATE_LIMIT_PER_MINUTE). */
  rateLimitPerMinute: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

export type KeyRefusal = "revoked" | "expired";

/** Why a known key may not be used now, or null. Expiry is checked per request, so it is exact. */
export function keyRefusal(policy: ApiKeyPolicy, nowMs: number): KeyRefusal | null {
  if (policy.revokedAt !== null) return "revoked";
  if (policy.expiresAt !== null && policy.expiresAt <= nowMs) return "expired";
  return null;
}

/** Whether the key may reach a mailbox; a mailbox it may not reach is answered as not found. */
export function mayReachMailbox(policy: ApiKeyPolicy, mailbox: { id: string; tags: readonly string[] }): boolean {
  switch (policy.mailboxScope) {
    case "all":
      return true;
    case "chosen":
      return policy.mailboxIds.has(mailbox.id);
    case "tag":
      return policy.mailboxTag !== null && mailbox.tags.includes(policy.mailboxTag);
  }
}

/** An unknown stored value reaches nothing (chosen, with no mailboxes): never more than intended. */
export function parseMailboxScope(value: string): MailboxScope {
  return value === "all" || value === "tag" ? value : "chosen";
}
