import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { encodeTags, mailboxFormSchema, validateMailboxForm, type ValidatedMailbox } from "@/lib/mailboxes/mailbox-form";
import { getMailbox, type MailboxView } from "@/lib/mailboxes/mailbox-view";
import { protocolLabels } from "@/lib/microsoft/protocols";
import { fieldErrorsOf } from "@/lib/validation";

export interface MailboxSaveOutcome {
  mailbox: MailboxView;
  warnings: Record<string, string>;
  created: boolean;
}

function columnsOf(v: ValidatedMailbox) {
  return {
    address: v.address,
    displayName: v.displayName,
    direction: v.direction,
    inboundProtocol: v.inbound?.protocol ?? null,
    inboundHost: v.inbound?.host ?? null,
    inboundPort: v.inbound?.port ?? null,
    inboundSecurity: v.inbound?.security ?? null,
    outboundProtocol: v.outbound?.protocol ?? null,
    outboundHost: v.outbound?.host ?? null,
    outboundPort: v.outbound?.port ?? null,
    outboundSecurity: v.outbound?.security ?? null,
    authMode: v.authMode,
    accountKind: v.accountKind,
    appRegistrationId: v.appRegistrationId,
    signingIdentity: v.signingIdentity,
    ownerEmail: v.ownerEmail,
    tags: encodeTags(v.tags),
  };
}

/** The same address may be configured once per protocol and direction. */
async function findDuplicate(v: ValidatedMailbox, exceptId: string | null): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const sides = [
    ["inbound", v.inbound?.protocol] as const,
    ["outbound", v.outbound?.protocol] as const,
  ];
  for (const [dir, protocol] of sides) {
    if (!protocol) continue;
    const other = await getDb().mailbox.findFirst({
      where: {
        address: v.address,
        ...(dir === "inbound" ? { inboundProtocol: protocol } : { outboundProtocol: protocol }),
        ...(exceptId ? { id: { not: exceptId } } : {}),
      },
      select: { id: true, displayName: true },
    });
    if (other) {
      errors[`${dir}Protocol`] = `${v.address} is already configured for ${dir} ${protocolLabels[protocol]}${other.displayName ? ` (“${other.displayName}”)` : ""}. Edit that mailbox instead.`;
    }
  }
  return errors;
}

/** Validates and saves a mailbox (id null: create). Throws AppError("validation") with field messages. */
export async function saveMailbox(id: string | null, raw: unknown, actor: AuditActor, meta: RequestMeta): Promise<MailboxSaveOutcome> {
  const parsed = mailboxFormSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("validation", "Some fields need attention; see the messages beside them.", fieldErrorsOf(parsed.error));
  const before = id ? await getDb().mailbox.findUnique({ where: { id } }) : null;
  if (id && !before) throw new AppError("not_found", "That mailbox does not exist.");
  const app = await getAppRegistration(parsed.data.appRegistrationId);
  const validation = validateMailboxForm(parsed.data, app);
  if (!validation.ok) throw new AppError("validation", "Some fields need attention; see the messages beside them.", validation.fieldErrors, undefined, validation.warnings);
  const duplicate = await findDuplicate(validation.value, id);
  if (Object.keys(duplicate).length > 0) throw new AppError("validation", "This mailbox is configured already.", duplicate);

  const data = columnsOf(validation.value);
  const saved = before ? await getDb().mailbox.update({ where: { id: before.id }, data }) : await getDb().mailbox.create({ data });
  const changedFields = before
    ? (Object.keys(data) as (keyof typeof data)[]).filter((k) => String(before[k] ?? "") !== String(data[k] ?? ""))
    : [];
  if (!before || changedFields.length > 0) {
    await recordAuditEvent({
      actor,
      action: before ? "mailbox.updated" : "mailbox.created",
      target: { type: "mailbox", id: saved.id, label: saved.address },
      meta,
      details: before ? { changedFields } : { direction: data.direction, authMode: data.authMode, inbound: data.inboundProtocol, outbound: data.outboundProtocol },
    });
  }
  return { mailbox: (await getMailbox(saved.id))!, warnings: validation.warnings, created: !before };
}

export async function deleteMailbox(id: string, actor: AuditActor, meta: RequestMeta): Promise<void> {
  const row = await getDb().mailbox.findUnique({ where: { id }, select: { address: true } });
  if (!row) throw new AppError("not_found", "That mailbox does not exist.");
  await getDb().mailbox.delete({ where: { id } });
  await recordAuditEvent({ actor, action: "mailbox.deleted", target: { type: "mailbox", id, label: row.address }, meta });
}
