import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { confirmAppOnlyAccess, type AppOnlyConfirmation } from "@/lib/consent/confirm-app-only-access";
import { startDelegatedConsent, type StartedConsent } from "@/lib/consent/start-consent";

export type ConnectStart = ({ kind: "redirect" } & StartedConsent) | { kind: "confirmed"; confirmation: AppOnlyConfirmation };

/** Connect: delegated mailboxes go to Microsoft's sign-in; app-only ones have the app's access proven now. */
export async function connectMailbox(mailboxId: string, actor: AuditActor, meta: RequestMeta): Promise<ConnectStart> {
  const mailbox = await getDb().mailbox.findUnique({ where: { id: mailboxId }, select: { authMode: true, appRegistrationId: true } });
  if (!mailbox) throw new AppError("not_found", "That mailbox does not exist.");
  if (mailbox.authMode === "app_only") {
    return { kind: "confirmed", confirmation: await confirmAppOnlyAccess(mailbox.appRegistrationId, actor, meta, mailboxId) };
  }
  return { kind: "redirect", ...(await startDelegatedConsent(mailboxId, actor, meta)) };
}
