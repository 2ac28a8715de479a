import { getDb } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { AuditDetails } from "@/lib/audit/audit-details";

// The token API's batched writes (lib/api/usage): issuance counts per key, mailbox and UTC day added to
// TokenIssuanceCount, keys' lastUsedAt, and denials as audit events. Called every few seconds and at
// shutdown, never on a request. Nothing here ever holds a token or a key.

export interface IssuanceIncrement {
  apiKeyId: string;
  mailboxId: string;
  day: string;
  count: number;
  lastAt: Date;
}

export async function addIssuanceCounts(rows: readonly IssuanceIncrement[]): Promise<void> {
  if (rows.length === 0) return;
  const db = getDb();
  await db.$transaction(
    rows.map((r) =>
      db.tokenIssuanceCount.upsert({
        where: { apiKeyId_mailboxId_day: { apiKeyId: r.apiKeyId, mailboxId: r.mailboxId, day: r.day } },
        create: { apiKeyId: r.apiKeyId, mailboxId: r.mailboxId, day: r.day, count: r.count, lastAt: r.lastAt },
        update: { count: { increment: r.count }, lastAt: r.lastAt },
      }),
    ),
  );
}

export async function touchApiKeysLastUsed(uses: ReadonlyMap<string, Date>): Promise<void> {
  if (uses.size === 0) return;
  const db = getDb();
  await db.$transaction([...uses].map(([id, at]) => db.apiKey.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] }, data: { lastUsedAt: at } })));
}

export interface ApiDenial {
  /** "api-key:<prefix>" for a known key, "anonymous" otherwise. */
  actorLabel: string;
  apiKeyId: string | null;
  reason: string;
  /** What was asked for: "GET /api/v1/mailboxes/{mailbox}/health" and the mailbox reference (never a query string). */
  operation: string;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

/** One audit event per distinct denial in the flush window, with how often it happened. */
export async function recordApiDenials(denials: readonly ApiDenial[]): Promise<void> {
  for (const d of denials) {
    const details: AuditDetails = { reason: d.reason, operation: d.operation, count: d.count, firstAt: d.firstAt.toISOString(), lastAt: d.lastAt.toISOString() };
    await recordAuditEvent({
      actor: { id: null, label: d.actorLabel },
      action: "api.request_denied",
      target: { type: d.apiKeyId ? "api_key" : "api", id: d.apiKeyId, label: d.target },
      meta: { ip: d.ip, userAgent: d.userAgent },
      details,
    });
  }
}
