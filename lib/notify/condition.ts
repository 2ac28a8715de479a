import type { NotificationEvent } from "@/lib/notify/notification-events";
import type { PayloadInput } from "@/lib/notify/notification-payload";
import type { SubjectFamily } from "@/lib/notify/notification-rules";

// A subject's current state as the evaluation sees it, and how a notification about it reads.

export type ConditionText = Omit<PayloadInput, "type" | "previousState" | "since" | "reminder" | "state" | "recipient">;

export interface Condition {
  family: SubjectFamily;
  subjectKey: string;
  state: string;
  /** Called only when a notification is sent: the words for this event. */
  describe(event: NotificationEvent): ConditionText;
  /** A delegated mailbox's owner, who can be e-mailed a consent link when it needs consent. */
  owner?: { mailboxId: string; email: string };
}

export interface PortalLinks {
  url: string;
  mailbox(id: string): string;
  appRegistration(id: string): string;
  tokenStatus: string;
}

export function portalLinks(portalUrl: string): PortalLinks {
  return {
    url: portalUrl,
    mailbox: (id) => `${portalUrl}/mailboxes/${encodeURIComponent(id)}`,
    appRegistration: (id) => `${portalUrl}/app-registrations/${encodeURIComponent(id)}`,
    tokenStatus: `${portalUrl}/token-status`,
  };
}
