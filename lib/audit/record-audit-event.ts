import { getDb } from "@/lib/db/client";
import { sanitizeAuditDetails, type AuditDetails } from "@/lib/audit/audit-details";
import type { RequestMeta } from "@/lib/audit/request-meta";

export interface AuditActor {
  id: string | null;
  /** The user's e-mail, "system", "anonymous" or "api-key:<prefix>". */
  label: string;
}

export interface AuditTarget {
  type: string;
  id?: string | null;
  label?: string | null;
}

export interface AuditEventInput {
  actor: AuditActor;
  action: string;
  target?: AuditTarget;
  meta?: RequestMeta;
  details?: AuditDetails;
}

export async function recordAuditEvent(input: AuditEventInput): Promise<void> {
  await getDb().auditEvent.create({
    data: {
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      action: input.action,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      targetLabel: input.target?.label ?? null,
      ip: input.meta?.ip ?? null,
      userAgent: input.meta?.userAgent ?? null,
      details: JSON.stringify(sanitizeAuditDetails(input.details ?? {})),
    },
  });
}
