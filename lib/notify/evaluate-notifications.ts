import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { logInfo, logWarn } from "@/lib/log";
import { createConsentLink } from "@/lib/consent/consent-links";
import { tryAcquireLease } from "@/lib/grants/lease";
import { getSettings } from "@/lib/settings/settings";
import { SYSTEM_ACTOR } from "@/lib/notify/attempt-delivery";
import { portalLinks, type Condition } from "@/lib/notify/condition";
import { collectCredentialConditions, collectInactivityConditions } from "@/lib/notify/collect-expiry-conditions";
import { collectMailboxConditions } from "@/lib/notify/collect-mailbox-conditions";
import type { DeliveryPolicy } from "@/lib/notify/delivery-policy";
import { deliveryRowsFor, newDeliveryId, type NewDeliveryRow } from "@/lib/notify/delivery-rows";
import { dispatchDueDeliveries } from "@/lib/notify/dispatch-deliveries";
import type { NotificationEvent } from "@/lib/notify/notification-events";
import { buildPayload } from "@/lib/notify/notification-payload";
import { decideNotification, type StoredState } from "@/lib/notify/notification-rules";
import { getNotificationRules, type NotificationRules } from "@/lib/notify/notification-settings";

// One evaluation: every subject's current state against what was last told (NotificationState), and for
// each change (or due daily reminder) one notification to every channel that wants it. Only the holder of
// the `notify-evaluation` lease evaluates, so several instances never tell the same change twice; the state
// and the deliveries it causes are written in one transaction (the deliveries are the outbox), then sent.
// Because the state lives in the database, a restart does not repeat anything.

export const EVALUATION_LEASE = "notify-evaluation";
const LEASE_TTL_MS = 60_000;
const CHUNK = 500;

export interface EvaluateOptions {
  now?: Date;
  /** Send the new deliveries before returning (default true). */
  dispatch?: boolean;
  policy?: Partial<DeliveryPolicy>;
}

export interface EvaluationReport {
  ran: boolean;
  subjects: number;
  notifications: Array<{ subjectKey: string; event: NotificationEvent; reminder: boolean; deliveries: number }>;
  deliveryIds: string[];
}

export async function evaluateNotifications(options: EvaluateOptions = {}): Promise<EvaluationReport> {
  const lease = await tryAcquireLease(EVALUATION_LEASE, LEASE_TTL_MS);
  if (!lease) return { ran: false, subjects: 0, notifications: [], deliveryIds: [] };
  let report: EvaluationReport;
  try {
    report = await evaluateUnderLease(options.now ?? new Date());
  } finally {
    await lease.release();
  }
  if (options.dispatch !== false && report.deliveryIds.length > 0) {
    await dispatchDueDeliveries({ ids: report.deliveryIds, ...(options.policy ? { policy: options.policy } : {}) });
  }
  return report;
}

async function evaluateUnderLease(now: Date): Promise<EvaluationReport> {
  const db = getDb();
  const env = getEnv();
  const links = portalLinks(env.portalUrl);
  const [rules, settings, channels, storedRows] = await Promise.all([
    getNotificationRules(),
    getSettings(),
    db.notificationChannel.findMany({ select: { id: true, enabled: true, events: true, kind: true } }),
    db.notificationState.findMany(),
  ]);
  const conditions = [
    ...(await collectMailboxConditions(rules.failingAfterChecks, links)),
    ...(await collectCredentialConditions(now, links)),
    ...(await collectInactivityConditions(now, links)),
  ];
  const stored = new Map<string, StoredState>(storedRows.map((r) => [r.subjectKey, r]));
  const portal = { name: settings.organisationName, url: env.portalUrl };
  const report: EvaluationReport = { ran: true, subjects: conditions.length, notifications: [], deliveryIds: [] };

  const quietNewRows: Array<StoredState & { subjectKey: string }> = [];
  const quietChanged = new Map<string, string[]>();
  for (const condition of conditions) {
    const previous = stored.get(condition.subjectKey) ?? null;
    const decision = decideNotification(condition.family, previous, condition.state, now, { remindDaily: rules.remindDaily });
    if (!decision.write) continue;
    if (!decision.event) {
      // Quiet changes (first sightings of a healthy subject, a renewed credential) are written in bulk.
      if (previous) quietChanged.set(condition.state, [...(quietChanged.get(condition.state) ?? []), condition.subjectKey]);
      else quietNewRows.push({ subjectKey: condition.subjectKey, ...decision.write });
      continue;
    }
    const text = condition.describe(decision.event);
    const payload = buildPayload(
      { ...text, type: decision.event, state: condition.state, previousState: decision.reminder ? null : (previous?.state ?? null), since: decision.write.since.toISOString(), reminder: decision.reminder },
      portal,
      now,
    );
    // The rows are due on the wall clock (an injected `now` only moves the rules' clock).
    const sendAt = new Date();
    const rows = deliveryRowsFor(payload, condition.subjectKey, channels, sendAt);
    if (decision.event === "mailbox.needs_consent" && !decision.reminder) {
      const ownerRow = await ownerConsentRow(condition, rules, channels, payload, sendAt);
      if (ownerRow) rows.push(ownerRow);
    }
    const write = decision.write;
    await db.$transaction([
      db.notificationState.upsert({
        where: { subjectKey: condition.subjectKey },
        create: { subjectKey: condition.subjectKey, ...write },
        update: write,
      }),
      ...rows.map((data) => db.notificationDelivery.create({ data })),
    ]);
    report.notifications.push({ subjectKey: condition.subjectKey, event: decision.event, reminder: decision.reminder, deliveries: rows.length });
    report.deliveryIds.push(...rows.map((r) => r.id));
  }

  for (let i = 0; i < quietNewRows.length; i += CHUNK) await db.notificationState.createMany({ data: quietNewRows.slice(i, i + CHUNK) });
  for (const [state, keys] of quietChanged) {
    for (let i = 0; i < keys.length; i += CHUNK) await db.notificationState.updateMany({ where: { subjectKey: { in: keys.slice(i, i + CHUNK) } }, data: { state, since: now } });
  }
  // Subjects that are gone (mailbox or app registration deleted, grant removed) leave no state behind.
  const current = new Set(conditions.map((c) => c.subjectKey));
  const stale = storedRows.map((r) => r.subjectKey).filter((k) => !current.has(k));
  for (let i = 0; i < stale.length; i += CHUNK) await db.notificationState.deleteMany({ where: { subjectKey: { in: stale.slice(i, i + CHUNK) } } });

  if (report.notifications.length > 0) {
    logInfo(`Notifications: ${report.notifications.length} to tell (${report.notifications.map((n) => `${n.event}${n.reminder ? " reminder" : ""}`).join(", ")}), ${report.deliveryIds.length} deliveries queued.`);
  }
  return report;
}

/**
 * The owner's e-mail with a one-time consent link (field lessons #2), when the rules ask for it and the
 * mailbox has an owner: a new link is made now (audited as made by "system"; it replaces any older one),
 * and the e-mail goes out through the chosen e-mail channel's route. The link itself is not stored with
 * the notification: the attempt reads it back from the consent link store.
 */
async function ownerConsentRow(
  condition: Condition,
  rules: NotificationRules,
  channels: ReadonlyArray<{ id: string; enabled: boolean; kind: string }>,
  payload: ReturnType<typeof buildPayload>,
  now: Date,
): Promise<NewDeliveryRow | null> {
  if (!rules.emailOwnerConsentLink || !condition.owner) return null;
  const channel = channels.find((c) => c.id === rules.ownerEmailChannelId && c.kind === "email" && c.enabled);
  if (!channel) {
    logWarn("Notifications: owners' consent e-mails are on, but their e-mail channel is missing or turned off.");
    return null;
  }
  try {
    await createConsentLink(condition.owner.mailboxId, SYSTEM_ACTOR, { ip: null, userAgent: null });
  } catch (error) {
    logWarn(`Notifications: no consent link could be made for mailbox ${condition.owner.mailboxId}`, error);
    return null;
  }
  const ownerPayload = { ...payload, recipient: { kind: "mailbox_owner" as const, address: condition.owner.email } };
  return {
    id: newDeliveryId(),
    channelId: channel.id,
    event: payload.type,
    subjectKey: condition.subjectKey,
    payload: JSON.stringify(ownerPayload),
    attempt: 1,
    status: "pending",
    nextAttemptAt: now,
    at: now,
  };
}
