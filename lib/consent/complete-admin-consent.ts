import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { explainMicrosoftError } from "@/lib/microsoft/aadsts-catalog";
import { confirmAppOnlyAccess } from "@/lib/consent/confirm-app-only-access";
import type { ConsentOutcome } from "@/lib/consent/consent-outcome";
import type { ConsentRequestRow } from "@/lib/consent/consent-request";

/** The admin-consent callback (reference §7): an error redirect explained, or success proven by a token. */
export async function completeAdminConsent(
  request: ConsentRequestRow,
  params: URLSearchParams,
  actor: { id: string | null; label: string },
  meta: RequestMeta,
): Promise<ConsentOutcome> {
  const app = (await getAppRegistration(request.appRegistrationId!))!;
  const target = { type: "app_registration", id: app.id, label: app.label };
  const error = params.get("error");
  if (error) {
    const explanation = explainMicrosoftError({ error, error_description: params.get("error_description") ?? undefined });
    await recordAuditEvent({ actor, action: "admin_consent.failed", target, meta, details: { error: explanation.code } });
    return { kind: "admin_consent", ok: false, appRegistrationId: app.id, label: app.label, tenant: null, roles: [], missingRoles: [], connectedMailboxes: 0, explanation };
  }
  const confirmation = await confirmAppOnlyAccess(app.id, actor, meta);
  await recordAuditEvent({
    actor,
    action: confirmation.ok ? "admin_consent.confirmed" : "admin_consent.failed",
    target,
    meta,
    details: { roles: confirmation.roles, missingRoles: confirmation.missingRoles, mailboxes: confirmation.connectedMailboxes },
  });
  return { kind: "admin_consent", appRegistrationId: app.id, label: app.label, tenant: confirmation.ok ? app.tenant : null, ...confirmation };
}
