import { randomBytes } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import type { ChannelFormInput } from "@/lib/notify/channel-form";
import { formatEventFilter, parseEventFilter, type NotificationEvent } from "@/lib/notify/notification-events";
import { generateWebhookSecret, sealChannelSecret } from "@/lib/notify/webhook-secret";

// Notification channels: create (a webhook's generated secret is returned once, then only its ciphertext
// exists), list without secrets, turn on/off, change the event filter, delete. Every change is audited
// with names and kinds only.

export interface ChannelView {
  id: string;
  name: string;
  kind: "webhook" | "email";
  /** Webhook: scheme, host and path only (a query string may carry a receiver's key). */
  urlShown: string | null;
  emailTo: string | null;
  emailVia: "mailbox" | "smtp" | null;
  viaMailbox: { id: string; address: string } | null;
  events: NotificationEvent[];
  allEvents: boolean;
  enabled: boolean;
  createdAt: Date;
}

function shownUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? "?…" : ""}`;
  } catch {
    return null;
  }
}

export async function listChannels(): Promise<ChannelView[]> {
  const rows = await getDb().notificationChannel.findMany({ orderBy: { createdAt: "asc" } });
  const mailboxIds = rows.map((r) => r.viaMailboxId).filter((id): id is string => id !== null);
  const mailboxes = mailboxIds.length ? await getDb().mailbox.findMany({ where: { id: { in: mailboxIds } }, select: { id: true, address: true } }) : [];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind === "email" ? "email" : "webhook",
    urlShown: shownUrl(r.url),
    emailTo: r.emailTo,
    emailVia: r.emailVia === "mailbox" || r.emailVia === "smtp" ? r.emailVia : null,
    viaMailbox: mailboxes.find((m) => m.id === r.viaMailboxId) ?? null,
    events: parseEventFilter(r.events),
    allEvents: r.events.trim() === "",
    enabled: r.enabled,
    createdAt: r.createdAt,
  }));
}

/** Connected mailboxes that can send (SMTP or Graph outbound): the choices for "send through a mailbox". */
export async function listSendingMailboxes(): Promise<Array<{ id: string; address: string; protocol: string }>> {
  const rows = await getDb().mailbox.findMany({
    where: { outboundProtocol: { in: ["smtp", "graph"] }, grant: { isNot: null } },
    orderBy: { address: "asc" },
    take: 500,
    select: { id: true, address: true, outboundProtocol: true },
  });
  return rows.map((r) => ({ id: r.id, address: r.address, protocol: r.outboundProtocol ?? "" }));
}

async function assertSendingMailbox(mailboxId: string): Promise<void> {
  const m = await getDb().mailbox.findUnique({ where: { id: mailboxId }, select: { outboundProtocol: true, grant: { select: { id: true } } } });
  const problem = !m
    ? "That mailbox does not exist any more."
    : m.outboundProtocol !== "smtp" && m.outboundProtocol !== "graph"
      ? "That mailbox does not send over SMTP or Graph; choose another or use the SMTP settings."
      : !m.grant
        ? "That mailbox is not connected yet; connect it first."
        : null;
  if (problem) throw new AppError("validation", "Some fields need attention; see the messages beside them.", { viaMailboxId: problem });
}

export async function createChannel(input: ChannelFormInput, actor: AuditActor, meta: RequestMeta): Promise<{ id: string; generatedSecret: string | null }> {
  // The id is chosen here because the secret's vault context names it.
  const id = `nch_${randomBytes(10).toString("hex")}`;
  const events = formatEventFilter(input.events);
  let generatedSecret: string | null = null;
  if (input.kind === "webhook") {
    const secret = input.secretMode === "enter" && input.secret ? input.secret : (generatedSecret = generateWebhookSecret());
    await getDb().notificationChannel.create({ data: { id, name: input.name, kind: "webhook", url: input.url, secretEncrypted: sealChannelSecret(id, secret), events } });
  } else {
    if (input.emailVia === "mailbox") await assertSendingMailbox(input.viaMailboxId!);
    await getDb().notificationChannel.create({
      data: { id, name: input.name, kind: "email", emailTo: input.emailTo, emailVia: input.emailVia, viaMailboxId: input.emailVia === "mailbox" ? input.viaMailboxId! : null, events },
    });
  }
  await recordAuditEvent({
    actor,
    action: "notification_channel.created",
    target: { type: "notification_channel", id, label: input.name },
    meta,
    details: { kind: input.kind, events: input.events, ...(input.kind === "webhook" ? { signingValueOrigin: generatedSecret ? "generated" : "entered" } : { emailVia: input.emailVia }) },
  });
  return { id, generatedSecret };
}

async function findChannel(id: string) {
  const channel = await getDb().notificationChannel.findUnique({ where: { id }, select: { id: true, name: true, kind: true } });
  if (!channel) throw new AppError("not_found", "That channel does not exist any more.");
  return channel;
}

export async function setChannelEnabled(id: string, enabled: boolean, actor: AuditActor, meta: RequestMeta): Promise<void> {
  const channel = await findChannel(id);
  await getDb().notificationChannel.update({ where: { id }, data: { enabled } });
  await recordAuditEvent({ actor, action: enabled ? "notification_channel.enabled" : "notification_channel.disabled", target: { type: "notification_channel", id, label: channel.name }, meta });
}

export async function updateChannelEvents(id: string, events: NotificationEvent[], actor: AuditActor, meta: RequestMeta): Promise<void> {
  const channel = await findChannel(id);
  await getDb().notificationChannel.update({ where: { id }, data: { events: formatEventFilter(events) } });
  await recordAuditEvent({ actor, action: "notification_channel.events_changed", target: { type: "notification_channel", id, label: channel.name }, meta, details: { events } });
}

/** A new generated secret for a webhook, returned once; the receiver must be given it. */
export async function rotateChannelSecret(id: string, actor: AuditActor, meta: RequestMeta): Promise<string> {
  const channel = await findChannel(id);
  if (channel.kind !== "webhook") throw new AppError("validation", "Only webhook channels have a signing secret.");
  const secret = generateWebhookSecret();
  await getDb().notificationChannel.update({ where: { id }, data: { secretEncrypted: sealChannelSecret(id, secret) } });
  await recordAuditEvent({ actor, action: "notification_channel.secret_rotated", target: { type: "notification_channel", id, label: channel.name }, meta });
  return secret;
}

export async function deleteChannel(id: string, actor: AuditActor, meta: RequestMeta): Promise<void> {
  const channel = await findChannel(id);
  // Its delivery log goes with it (cascade).
  await getDb().notificationChannel.delete({ where: { id } });
  await recordAuditEvent({ actor, action: "notification_channel.deleted", target: { type: "notification_channel", id, label: channel.name }, meta, details: { kind: channel.kind } });
}
