import { getDb } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { checkAppCredentials } from "@/lib/app-registrations/check-app-credentials";
import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";

export interface AppOnlyConfirmation {
  ok: boolean;
  roles: string[];
  missingRoles: string[];
  connectedMailboxes: number;
  explanation: ErrorExplanation | null;
}

/**
 * App-only access is proven, never assumed: a client-credentials token for the app's tenant whose
 * roles cover what its app-only mailboxes need (reference §7: the admin-consent redirect's `tenant`
 * is not trusted). Then those mailboxes (or just one) get an app-only grant; tokens come when needed.
 */
export async function confirmAppOnlyAccess(appRegistrationId: string, actor: AuditActor, meta: RequestMeta, onlyMailboxId?: string): Promise<AppOnlyConfirmation> {
  const check = await checkAppCredentials(appRegistrationId, actor, meta);
  const roles = [...new Set(check.resources.flatMap((r) => r.roles))];
  const missingRoles = [...new Set(check.resources.flatMap((r) => r.missingRoles))];
  const explanation = check.resources.find((r) => r.explanation)?.explanation ?? null;
  if (!check.ok) return { ok: false, roles, missingRoles, connectedMailboxes: 0, explanation };

  const app = await getDb().appRegistration.findUniqueOrThrow({ where: { id: appRegistrationId }, select: { tenant: true } });
  const servicePrincipal = check.resources.find((r) => r.servicePrincipalObjectId)?.servicePrincipalObjectId ?? null;
  const mailboxes = await getDb().mailbox.findMany({
    where: { appRegistrationId, authMode: "app_only", ...(onlyMailboxId ? { id: onlyMailboxId } : {}) },
    select: { id: true, address: true },
  });
  for (const m of mailboxes) {
    const fields = { kind: "app_only", state: "active", tenantId: app.tenant, objectId: servicePrincipal, scopes: roles.join(" ") };
    await getDb().grant.upsert({
      where: { mailboxId: m.id },
      create: { mailboxId: m.id, ...fields },
      update: { ...fields, lastError: null, lastErrorAt: null, failureCount: 0, nextAttemptAt: null, consentedAt: new Date() },
    });
    await recordAuditEvent({ actor, action: "grant.connected", target: { type: "mailbox", id: m.id, label: m.address }, meta, details: { kind: "app_only", roles } });
  }
  return { ok: true, roles, missingRoles, connectedMailboxes: mailboxes.length, explanation: null };
}
