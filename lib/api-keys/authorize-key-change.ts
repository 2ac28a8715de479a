import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { can, type Role } from "@/lib/auth/permissions";

// Creating and revoking keys is for admins (api_keys.write). Checked here in the domain as well as by the
// server action's requireUser, so a direct call by a support user is refused and the refusal audited.

export interface StaffUser {
  id: string;
  email: string;
  role: Role;
}

export async function authorizeKeyChange(user: StaffUser, attempted: "create" | "revoke", meta: RequestMeta, target?: { id: string; label: string | null }): Promise<void> {
  if (can(user.role, "api_keys.write")) return;
  await recordAuditEvent({
    actor: { id: user.id, label: user.email },
    action: "api_key.change_denied",
    target: { type: "api_key", id: target?.id ?? null, label: target?.label ?? null },
    meta,
    details: { attempted, role: user.role },
  });
  throw new AppError("forbidden", "Your role does not allow this. Ask a portal admin.");
}
