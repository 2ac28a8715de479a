import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { acquireAppToken } from "@/lib/microsoft/acquire-app-token";
import { isSpecificTenant } from "@/lib/microsoft/authority";
import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import { appOnlyTokenPlan } from "@/lib/microsoft/scopes";
import { loadAppCredential } from "@/lib/app-registrations/app-credentials";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";

// "Check credentials": asks Microsoft for a client-credentials token per resource the app's app-only
// mailboxes need (Exchange Online when there are none yet), and compares the token's roles with what
// those mailboxes need. The outcome, explained, is stored on the app registration and audited.

export interface ResourceCheck {
  resource: string;
  ok: boolean;
  roles: string[];
  missingRoles: string[];
  /** The service principal's object ID in the tenant, from the token (reference §4). */
  servicePrincipalObjectId: string | null;
  explanation: ErrorExplanation | null;
}

export interface CredentialCheckResult {
  ok: boolean;
  checkedAt: Date;
  resources: ResourceCheck[];
}

export async function checkAppCredentials(id: string, actor: AuditActor, meta: RequestMeta): Promise<CredentialCheckResult> {
  const app = await getAppRegistration(id);
  if (!app) throw new AppError("not_found", "That app registration does not exist.");
  if (!isSpecificTenant(app.tenant)) {
    throw new AppError(
      "validation",
      `Client credentials are issued by one tenant, and this app registration's tenant is “${app.tenant}”. Enter the tenant ID or domain of the organisation (Edit), then check again.`,
    );
  }
  const mailboxes = await getDb().mailbox.findMany({
    where: { appRegistrationId: id, authMode: "app_only" },
    select: { inboundProtocol: true, outboundProtocol: true },
  });
  const uses = mailboxes.flatMap(usesOfMailbox);
  const plans = uses.length > 0 ? appOnlyTokenPlan(uses, app.endpoints) : [{ resource: app.endpoints.exchangeResource, roles: [] }];
  const credential = await loadAppCredential(id);

  const resources: ResourceCheck[] = [];
  for (const plan of plans) {
    const result = await acquireAppToken({
      endpoints: app.endpoints,
      tenant: app.tenant,
      clientId: app.clientId,
      credential,
      resource: plan.resource,
      trustedCaPem: app.customCloud?.trustedCaPem ?? null,
    });
    if (result.ok) {
      const missingRoles = plan.roles.map((r) => r.name).filter((name) => !result.claims.roles.includes(name));
      resources.push({
        resource: plan.resource,
        ok: missingRoles.length === 0,
        roles: result.claims.roles,
        missingRoles,
        servicePrincipalObjectId: result.claims.oid,
        explanation: null,
      });
    } else {
      resources.push({ resource: plan.resource, ok: false, roles: [], missingRoles: [], servicePrincipalObjectId: null, explanation: result.explanation });
    }
  }

  const checkedAt = new Date();
  const ok = resources.every((r) => r.ok);
  await getDb().appRegistration.update({
    where: { id },
    data: { lastCheckAt: checkedAt, lastCheckOutcome: ok ? "ok" : "failed", lastCheckDetail: JSON.stringify({ resources }) },
  });
  await recordAuditEvent({
    actor,
    action: "app_registration.credentials_checked",
    target: { type: "app_registration", id, label: app.label },
    meta,
    details: {
      outcome: ok ? "ok" : "failed",
      errorCodes: resources.flatMap((r) => (r.explanation ? [r.explanation.code] : r.missingRoles.map((m) => `missing role ${m}`))),
    },
  });
  return { ok, checkedAt, resources };
}
