import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { decryptSecret, encryptSecret } from "@/lib/vault/vault";
import { checkbox, emailAddress, optionalText } from "@/lib/notify/form-fields";

// The SMTP server e-mail notifications may use instead of a connected mailbox (a relay of the organisation,
// with a user name and password). One Setting row: the non-secret fields as JSON, the password through the
// vault under the row's context `setting:notify.smtp` (so `npm run vault:rotate` covers it). The password
// never leaves the server: the page learns only whether one is stored.

const KEY = "notify.smtp";
const passwordContext = `setting:${KEY}`;

export const smtpSettingsSchema = z.object({
  host: z
    .string()
    .trim()
    .min(1, "Enter the SMTP server's host name.")
    .max(253, "Use at most 253 characters.")
    .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/, "Enter a host name or IP address, without a port or scheme."),
  port: z.coerce.number({ message: "Enter a port number." }).int("Enter a port number.").min(1, "Enter a port between 1 and 65535.").max(65535, "Enter a port between 1 and 65535."),
  security: z.enum(["starttls", "tls", "none"], { message: "Choose how the connection is secured." }),
  user: optionalText(320, "Use at most 320 characters."),
  /** Empty: keep the stored password. */
  password: optionalText(1000, "Use at most 1000 characters."),
  clearPassword: checkbox,
  fromAddress: emailAddress("Enter the sender address, such as portal@example.com."),
  trustedCaPem: optionalText(20_000, "The certificate is too long.").refine(
    (v) => v === undefined || /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(v),
    "Paste a PEM certificate (-----BEGIN CERTIFICATE----- …), or leave this empty.",
  ),
});
export type SmtpSettingsInput = z.infer<typeof smtpSettingsSchema>;

const storedSchema = z.object({
  host: z.string(),
  port: z.number(),
  security: z.enum(["starttls", "tls", "none"]),
  user: z.string().nullable(),
  fromAddress: z.string(),
  trustedCaPem: z.string().nullable(),
});
type StoredSmtpSettings = z.infer<typeof storedSchema>;

export interface SmtpSettingsView extends StoredSmtpSettings {
  hasPassword: boolean;
}

/** What a sender needs, password opened; only lib/notify's sender calls this. */
export interface SmtpSettingsWithPassword extends StoredSmtpSettings {
  password: string | null;
}

async function readRow() {
  const row = await getDb().setting.findUnique({ where: { key: KEY } });
  if (!row) return null;
  try {
    const parsed = storedSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? { settings: parsed.data, secretEncrypted: row.secretEncrypted } : null;
  } catch {
    return null;
  }
}

export async function getSmtpSettings(): Promise<SmtpSettingsView | null> {
  const row = await readRow();
  return row ? { ...row.settings, hasPassword: row.secretEncrypted !== null } : null;
}

export async function loadSmtpSettingsForSending(): Promise<SmtpSettingsWithPassword | null> {
  const row = await readRow();
  if (!row) return null;
  return { ...row.settings, password: row.secretEncrypted ? decryptSecret(row.secretEncrypted, passwordContext) : null };
}

export async function saveSmtpSettings(input: SmtpSettingsInput, actor: AuditActor, meta: RequestMeta): Promise<string[]> {
  const current = await readRow();
  const next: StoredSmtpSettings = {
    host: input.host,
    port: input.port,
    security: input.security,
    user: input.user ?? null,
    fromAddress: input.fromAddress,
    trustedCaPem: input.trustedCaPem ?? null,
  };
  const changed: string[] = (Object.keys(next) as (keyof StoredSmtpSettings)[]).filter((k) => !current || next[k] !== current.settings[k]);
  // A new password replaces the stored one; "clear" removes it; otherwise it stays.
  const secretEncrypted = input.password ? encryptSecret(input.password, passwordContext) : input.clearPassword ? null : (current?.secretEncrypted ?? null);
  if (input.password || (input.clearPassword && current?.secretEncrypted)) changed.push("password");
  if (changed.length === 0) return [];
  await getDb().setting.upsert({
    where: { key: KEY },
    create: { key: KEY, value: JSON.stringify(next), secretEncrypted, updatedBy: actor.label },
    update: { value: JSON.stringify(next), secretEncrypted, updatedBy: actor.label },
  });
  // Field names only, and the host: never the password, not even its length.
  await recordAuditEvent({
    actor,
    action: "notifications.smtp_changed",
    target: { type: "settings", id: KEY, label: "SMTP for notifications" },
    meta,
    details: { changedFields: changed, host: `${next.host}:${next.port}` },
  });
  return changed;
}
