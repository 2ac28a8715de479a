import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";

/** Deletes the mailbox's stored grant (refresh token and access tokens). Microsoft's consent stays until revoked there. */
export async function disconnectMailbox(mailboxId: string, actor: AuditActor, meta: RequestMeta): Promise<void> {
  const grant = await getDb().grant.findUnique({ where: { mailboxId }, include: { mailbox: { select: { address: true } } } });
  if (!grant) throw new AppError("not_found", "This mailbox is not connected.");
  await getDb().grant.delete({ where: { id: grant.id } });
  await recordAuditEvent({ actor, action: "grant.disconnected", target: { type: "mailbox", id: mailboxId, label: grant.mailbox.address }, meta, details: { kind: grant.kind, account: grant.userName } });
}
