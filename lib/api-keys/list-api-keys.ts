import { getDb } from "@/lib/db/client";
import { parseMailboxScope, type MailboxScope } from "@/lib/api-keys/api-key-policy";
import { parseScopes, type ApiScope } from "@/lib/api-keys/api-key-scopes";

// The keys as the Settings → API keys page shows them (admins and support): names, prefixes, what they may
// do and reach, limits, last use and issuance counts. Never the hash, never the key.

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  mailboxScope: MailboxScope;
  mailboxTag: string | null;
  /** mailboxScope "chosen": the first addresses (and how many in all). */
  mailboxAddresses: string[];
  mailboxCount: number;
  rateLimitPerMinute: number | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Tokens issued in the last 7 UTC days (counts are written every few seconds, so the latest may be missing). */
  issuedLast7Days: number;
  status: "active" | "revoked" | "expired";
}

const SHOWN_ADDRESSES = 5;

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export async function listApiKeys(now: Date = new Date()): Promise<ApiKeyView[]> {
  const db = getDb();
  const since = utcDay(new Date(now.getTime() - 6 * 86_400_000));
  const [rows, issued] = await Promise.all([
    db.apiKey.findMany({
      orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }],
      select: {
        id: true,
        name: true,
        prefix: true,
        scopes: true,
        mailboxScope: true,
        mailboxTag: true,
        rateLimitPerMinute: true,
        expiresAt: true,
        revokedAt: true,
        createdBy: true,
        createdAt: true,
        lastUsedAt: true,
        mailboxes: { select: { mailbox: { select: { address: true } } }, take: SHOWN_ADDRESSES },
        _count: { select: { mailboxes: true } },
      },
    }),
    db.tokenIssuanceCount.groupBy({ by: ["apiKeyId"], where: { day: { gte: since } }, _sum: { count: true } }),
  ]);
  const issuedByKey = new Map(issued.map((r) => [r.apiKeyId, r._sum.count ?? 0]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: parseScopes(r.scopes),
    mailboxScope: parseMailboxScope(r.mailboxScope),
    mailboxTag: r.mailboxTag,
    mailboxAddresses: r.mailboxes.map((m) => m.mailbox.address),
    mailboxCount: r._count.mailboxes,
    rateLimitPerMinute: r.rateLimitPerMinute,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    issuedLast7Days: issuedByKey.get(r.id) ?? 0,
    status: r.revokedAt ? "revoked" : r.expiresAt && r.expiresAt <= now ? "expired" : "active",
  }));
}
