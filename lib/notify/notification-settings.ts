import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { checkbox } from "@/lib/notify/form-fields";

// The rules admins tune on the Notifications page, stored as one Setting row (JSON, nothing secret).

export const notificationRulesSchema = z.object({
  failingAfterChecks: z.coerce
    .number({ message: "Enter a whole number." })
    .int("Enter a whole number.")
    .min(1, "Use at least 1.")
    .max(50, "Use at most 50: with sweeps every 15 minutes that is already half a day."),
  remindDaily: checkbox,
  emailOwnerConsentLink: checkbox,
  /** The e-mail channel whose sending route (connected mailbox or SMTP settings) carries owner e-mails. */
  ownerEmailChannelId: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || null),
});
export type NotificationRules = z.infer<typeof notificationRulesSchema>;

export const defaultNotificationRules: NotificationRules = {
  failingAfterChecks: 3,
  remindDaily: true,
  emailOwnerConsentLink: false,
  ownerEmailChannelId: null,
};

const KEY = "notify.rules";

export async function getNotificationRules(): Promise<NotificationRules> {
  const row = await getDb().setting.findUnique({ where: { key: KEY } });
  if (!row) return defaultNotificationRules;
  try {
    const parsed = notificationRulesSchema.safeParse({ ...defaultNotificationRules, ...(JSON.parse(row.value) as object) });
    return parsed.success ? parsed.data : defaultNotificationRules;
  } catch {
    return defaultNotificationRules;
  }
}

export async function updateNotificationRules(input: NotificationRules, actor: AuditActor, meta: RequestMeta): Promise<string[]> {
  if (input.emailOwnerConsentLink) {
    const channel = input.ownerEmailChannelId
      ? await getDb().notificationChannel.findUnique({ where: { id: input.ownerEmailChannelId }, select: { kind: true } })
      : null;
    if (channel?.kind !== "email") {
      throw new AppError("validation", "Some fields need attention; see the messages beside them.", {
        ownerEmailChannelId: "Choose the e-mail channel whose sending route carries the owners' e-mails (add an e-mail channel first).",
      });
    }
  }
  const current = await getNotificationRules();
  const changed = (Object.keys(input) as (keyof NotificationRules)[]).filter((k) => input[k] !== current[k]);
  if (changed.length === 0) return [];
  await getDb().setting.upsert({
    where: { key: KEY },
    create: { key: KEY, value: JSON.stringify(input), updatedBy: actor.label },
    update: { value: JSON.stringify(input), updatedBy: actor.label },
  });
  await recordAuditEvent({
    actor,
    action: "notifications.rules_changed",
    target: { type: "settings", id: KEY, label: "Notification rules" },
    meta,
    details: Object.fromEntries([["changedFields", changed], ...changed.map((k) => [k, `${String(current[k])} → ${String(input[k])}`])]),
  });
  return changed;
}
