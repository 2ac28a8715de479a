import { z } from "zod";

// The events the portal notifies about (issue 7 item 7), as they appear in a webhook's `type`, in a
// channel's filter and on the Notifications page. Names are part of the webhook contract: add, never rename.

export const notificationEvents = [
  "mailbox.failing",
  "mailbox.recovered",
  "mailbox.needs_consent",
  "app.credential_expiring",
  "grant.refresh_token_expiring",
] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

/** "Send test" only: not a filterable event, always delivered to the channel it was sent from. */
export const TEST_EVENT = "notification.test";
export type DeliveredEvent = NotificationEvent | typeof TEST_EVENT;

export const notificationEventSchema = z.enum(notificationEvents);

export const notificationEventInfo: Record<NotificationEvent, { label: string; description: string }> = {
  "mailbox.failing": {
    label: "Mailbox failing",
    description: "A protocol failed its last checks in a row (the number is set below), or the app credential or a tenant policy stops the grant.",
  },
  "mailbox.recovered": { label: "Mailbox recovered", description: "A mailbox that was failing or needed consent works again." },
  "mailbox.needs_consent": { label: "Needs re-consent", description: "Microsoft no longer accepts the mailbox's grant; its owner must sign in again." },
  "app.credential_expiring": { label: "App credential expiring", description: "An app registration's secret or certificate expires within 30, 14 or 7 days, or has expired." },
  "grant.refresh_token_expiring": {
    label: "Refresh token near its inactivity limit",
    description: "A delegated grant has 14 days or fewer before Microsoft ends its refresh token for inactivity (90 days).",
  },
};

/** A channel's stored filter ("" = every event) as a list; unknown names (from a newer version) are ignored. */
export function parseEventFilter(stored: string): NotificationEvent[] {
  const wanted = stored.split(/\s+/).filter(Boolean);
  return notificationEvents.filter((e) => wanted.includes(e));
}

export function formatEventFilter(events: readonly NotificationEvent[]): string {
  // Every event chosen is stored as "" so events added later reach the channel too.
  if (notificationEvents.every((e) => events.includes(e))) return "";
  return notificationEvents.filter((e) => events.includes(e)).join(" ");
}

export function channelWantsEvent(storedFilter: string, event: DeliveredEvent): boolean {
  if (event === TEST_EVENT) return true;
  const wanted = storedFilter.split(/\s+/).filter(Boolean);
  return wanted.length === 0 || wanted.includes(event);
}
