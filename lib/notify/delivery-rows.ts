import { randomBytes } from "node:crypto";
import { channelWantsEvent, type DeliveredEvent } from "@/lib/notify/notification-events";
import type { NotificationPayload } from "@/lib/notify/notification-payload";

// The delivery log doubles as the outbox: a notification is written as a "pending" row (in the same
// transaction as the state that caused it) before anything is sent, so a crash between deciding and
// sending loses nothing; the dispatcher sends due rows. One row per attempt:
//   pending    first attempt due at nextAttemptAt (or being sent)
//   retrying   a later attempt due at nextAttemptAt (or being sent)
//   delivered  this attempt succeeded (responseCode)
//   failed     this attempt failed (responseCode, error); the next attempt, if any, is its own row

export type DeliveryStatus = "pending" | "retrying" | "delivered" | "failed";

export interface NewDeliveryRow {
  id: string;
  channelId: string;
  event: string;
  subjectKey: string;
  payload: string;
  attempt: number;
  status: DeliveryStatus;
  nextAttemptAt: Date;
  at: Date;
}

export const newDeliveryId = () => `dlv_${randomBytes(10).toString("hex")}`;

export interface ChannelFilter {
  id: string;
  enabled: boolean;
  events: string;
  kind: string;
}

/** First-attempt rows for every enabled channel that wants the event. */
export function deliveryRowsFor(payload: NotificationPayload, subjectKey: string, channels: readonly ChannelFilter[], now: Date): NewDeliveryRow[] {
  const body = JSON.stringify(payload);
  return channels
    .filter((c) => c.enabled && channelWantsEvent(c.events, payload.type as DeliveredEvent))
    .map((c) => ({ id: newDeliveryId(), channelId: c.id, event: payload.type, subjectKey, payload: body, attempt: 1, status: "pending", nextAttemptAt: now, at: now }));
}
