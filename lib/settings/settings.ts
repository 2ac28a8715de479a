import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";

// Settings an admin changes in the portal (what must be known before start lives in the environment).

export const settingsSchema = z.object({
  organisationName: z
    .string()
    .trim()
    .min(1, "Enter a name (it is shown in the header and in notifications).")
    .max(100, "Use at most 100 characters."),
  signInLockAfterFailures: z.coerce
    .number({ message: "Enter a whole number." })
    .int("Enter a whole number.")
    .min(3, "Use at least 3, or people who mistype get locked out.")
    .max(50, "Use at most 50, or guessing stays cheap."),
  signInLockMinutes: z.coerce
    .number({ message: "Enter a whole number of minutes." })
    .int("Enter a whole number of minutes.")
    .min(1, "Use at least 1 minute.")
    .max(1440, "Use at most 1440 minutes (one day)."),
});
export type PortalSettings = z.infer<typeof settingsSchema>;

export const defaultSettings: PortalSettings = {
  organisationName: "Mailbox OAuth Portal",
  signInLockAfterFailures: 8,
  signInLockMinutes: 15,
};

const KEY_PREFIX = "portal.";

export async function getSettings(): Promise<PortalSettings> {
  const rows = await getDb().setting.findMany({ where: { key: { startsWith: KEY_PREFIX } } });
  const stored: Record<string, unknown> = {};
  for (const row of rows) stored[row.key.slice(KEY_PREFIX.length)] = JSON.parse(row.value);
  const merged = settingsSchema.safeParse({ ...defaultSettings, ...stored });
  return merged.success ? merged.data : defaultSettings;
}

/** Saves what changed and audits the names of the changed fields with old and new values (none are secret). */
export async function updateSettings(input: PortalSettings, actor: AuditActor, meta: RequestMeta): Promise<string[]> {
  const current = await getSettings();
  const changed = (Object.keys(input) as (keyof PortalSettings)[]).filter((k) => input[k] !== current[k]);
  if (changed.length === 0) return [];
  const db = getDb();
  await db.$transaction(
    changed.map((k) =>
      db.setting.upsert({
        where: { key: KEY_PREFIX + k },
        create: { key: KEY_PREFIX + k, value: JSON.stringify(input[k]), updatedBy: actor.label },
        update: { value: JSON.stringify(input[k]), updatedBy: actor.label },
      }),
    ),
  );
  await recordAuditEvent({
    actor,
    action: "settings.changed",
    target: { type: "settings", id: "portal", label: "Portal settings" },
    meta,
    details: Object.fromEntries([
      ["changedFields", changed],
      ...changed.map((k) => [`${k}`, `${String(current[k])} → ${String(input[k])}`]),
    ]),
  });
  return changed;
}
