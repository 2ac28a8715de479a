import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { getSettings } from "@/lib/settings/settings";
import type { DeliveryPolicy } from "@/lib/notify/delivery-policy";
import { newDeliveryId } from "@/lib/notify/delivery-rows";
import { dispatchDueDeliveries } from "@/lib/notify/dispatch-deliveries";
import { TEST_EVENT } from "@/lib/notify/notification-events";
import { buildPayload } from "@/lib/notify/notification-payload";

// "Send test": one notification of type notification.test through one channel, sent at once (the same
// path as every other delivery: outbox row, claim, attempt, retries with backoff if it fails), so the admin
// sees the receiver's answer in the delivery log right away.

export interface TestOutcome {
  deliveryId: string;
  status: string;
  responseCode: number | null;
  error: string | null;
}

export async function sendTestNotification(channelId: string, actor: AuditActor, meta: RequestMeta, policy?: Partial<DeliveryPolicy>): Promise<TestOutcome> {
  const db = getDb();
  const channel = await db.notificationChannel.findUnique({ where: { id: channelId }, select: { id: true, name: true, kind: true, enabled: true } });
  if (!channel) throw new AppError("not_found", "That channel does not exist any more.");
  if (!channel.enabled) throw new AppError("validation", "Turn the channel on before sending a test.");
  const now = new Date();
  const portalUrl = getEnv().portalUrl;
  const payload = buildPayload(
    {
      type: TEST_EVENT,
      subject: { kind: "channel", id: channel.id, label: channel.name },
      state: "test",
      previousState: null,
      since: now.toISOString(),
      title: "Test notification",
      explanation: `${actor.label} sent this test from the Notifications page to check that the ${channel.kind === "webhook" ? "receiver accepts signed requests" : "e-mail arrives"}.`,
      fix: "Nothing to do.",
      actor: "nobody",
      details: {},
      links: { notifications: `${portalUrl}/settings/notifications` },
    },
    { name: (await getSettings()).organisationName, url: portalUrl },
    now,
  );
  const id = newDeliveryId();
  await db.notificationDelivery.create({
    data: { id, channelId, event: TEST_EVENT, subjectKey: `test:${channel.id}`, payload: JSON.stringify(payload), attempt: 1, status: "pending", nextAttemptAt: now, at: now },
  });
  await recordAuditEvent({ actor, action: "notification_channel.tested", target: { type: "notification_channel", id: channel.id, label: channel.name }, meta });
  await dispatchDueDeliveries({ ids: [id], ...(policy ? { policy } : {}) });
  const row = await db.notificationDelivery.findUniqueOrThrow({ where: { id }, select: { status: true, responseCode: true, error: true } });
  return { deliveryId: id, ...row };
}
