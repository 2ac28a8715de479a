import { getDb } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { checkAppCredentials } from "@/lib/app-registrations/check-app-credentials";
import { explainMicrosoftError } from "@/lib/microsoft/aadsts-catalog";
import type { ConsentOutcome } from "@/lib/consent/consent-outcome";
import type { ConsentRequestRow } from "@/lib/consent/consent-request";

// The admin-consent callback (reference §7). The redirect's `tenant` parameter is never trusted:
// success is confirmed by a client-credentials token for the app registration's tenant whose roles
// cover what its app-only mailboxes need. Then those mailboxes get their (app-only) grants.

export async function completeAdminConsent(
  request: ConsentRequestRow,
  params: URLSearchParams,
  actor: { id: string | null; label: string },
  meta: RequestMeta,
): Promise<ConsentOutcome> {
  const app = (await getAppRegistration(request.appRegistrationId!))!;
  const base = { kind: "admin_consent" as const, appRegistrationId: app.id, label: app.label, tenant: null, roles: [], missingRoles: [], connectedMailboxes: 0 };
  const error = params.get("error");
  if (error) {
    const explanation = explainMicrosoftError({ error, error_description: params.get("error_description") ?? undefined });
    await recordAuditEvent({ actor, action: "admin_consent.failed", target: { type: "app_registration", id: app.id, label: app.label }, meta, details: { error: explanation.code } });
    return { ...base, ok: false, explanation };
  }

  const check = await checkAppCredentials(app.id, actor, meta);
  const failed = check.resources.find((r) => r.explanation);
  const roles = [...new Set(check.resources.flatMap((r) => r.roles))];
  const missingRoles = [...new Set(check.resources.flatMap((r) => r.missingRoles))];
  if (!check.ok) {
    await recordAuditEvent({ actor, action: "admin_consent.failed", target: { type: "app_registration", id: app.id, label: app.label }, meta, details: { missingRoles, error: failed?.explanation?.code ?? null } });
    return { ...base, ok: false, roles, missingRoles, explanation: failed?.explanation ?? null };
  }

  // App-only mailboxes of this app now have a confirmed grant; tokens are fetched when first needed.
  const servicePrincipal = check.resources.find((r) => r.servicePrincipalObjectId)?.servicePrincipalObjectId ?? null;
  const mailboxes = await getDb().mailbox.findMany({ where: { appRegistrationId: app.id, authMode: "app_only" }, select: { id: true } });
  for (const m of mailboxes) {
    await getDb().grant.upsert({
      where: { mailboxId: m.id },
      create: { mailboxId: m.id, kind: "app_only", state: "active", tenantId: app.tenant, objectId: servicePrincipal, scopes: roles.join(" ") },
      update: { kind: "app_only", state: "active", tenantId: app.tenant, objectId: servicePrincipal, scopes: roles.join(" "), lastError: null, lastErrorAt: null, failureCount: 0, nextAttemptAt: null, consentedAt: new Date() },
    });
  }
  await recordAuditEvent({
    actor,
    action: "admin_consent.confirmed",
    target: { type: "app_registration", id: app.id, label: app.label },
    meta,
    details: { roles, mailboxes: mailboxes.length },
  });
  return { ...base, ok: true, tenant: app.tenant, roles, missingRoles, connectedMailboxes: mailboxes.length, explanation: null };
}
