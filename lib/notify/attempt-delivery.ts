import { getValidConsentLinkUrl } from "@/lib/consent/consent-links";
import { failed, type AttemptResult } from "@/lib/notify/attempt-result";
import type { DeliveryPolicy } from "@/lib/notify/delivery-policy";
import { notificationEmail, ownerConsentEmail } from "@/lib/notify/email-content";
import { readPayload } from "@/lib/notify/notification-payload";
import { sendEmailViaMailbox } from "@/lib/notify/send-email-via-mailbox";
import { sendEmailViaSmtp } from "@/lib/notify/send-email-via-smtp";
import { sendWebhook } from "@/lib/notify/send-webhook";
import { loadSmtpSettingsForSending } from "@/lib/notify/smtp-settings";
import { openChannelSecret } from "@/lib/notify/webhook-secret";

// One attempt of one delivery row over its channel. Secrets (the webhook's signing secret, the SMTP
// password, the consent link) are opened here for the attempt and go nowhere else.

export const SYSTEM_ACTOR = { id: null, label: "system" };

export interface ChannelRow {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  url: string | null;
  secretEncrypted: string | null;
  emailTo: string | null;
  emailVia: string | null;
  viaMailboxId: string | null;
}

export interface DeliveryRow {
  id: string;
  attempt: number;
  payload: string;
}

export async function attemptDelivery(row: DeliveryRow, channel: ChannelRow, policy: DeliveryPolicy): Promise<AttemptResult> {
  if (!channel.enabled) return failed("the channel is turned off", null, false);
  const payload = readPayload(row.payload);
  if (!payload) return failed("the stored notification could not be read", null, false);

  if (channel.kind === "webhook") {
    if (!channel.url || !channel.secretEncrypted) return failed("the channel has no URL or signing secret", null, false);
    return sendWebhook({
      url: channel.url,
      secret: openChannelSecret(channel.id, channel.secretEncrypted),
      // The stored text is the body: byte for byte what was signed and what the log shows.
      body: row.payload,
      event: payload.type,
      eventId: payload.id,
      attempt: row.attempt,
      timeoutMs: policy.attemptTimeoutMs,
    });
  }

  let message;
  let to: string[];
  if (payload.recipient?.kind === "mailbox_owner") {
    // The link is read back from the consent link store for this attempt, never kept with the notification.
    const link = await getValidConsentLinkUrl(payload.subject.id, SYSTEM_ACTOR, { ip: null, userAgent: null });
    if (!link) return failed("the consent link was used, revoked or has expired; nothing to send", null, false);
    message = ownerConsentEmail(payload, link.url, link.expiresAt);
    to = [payload.recipient.address];
  } else {
    message = notificationEmail(payload);
    to = (channel.emailTo ?? "").split(/[\s,;]+/).filter(Boolean);
  }
  if (to.length === 0) return failed("the channel has no recipient", null, false);
  if (channel.emailVia === "mailbox") {
    if (!channel.viaMailboxId) return failed("the channel names no sending mailbox", null, false);
    return sendEmailViaMailbox(channel.viaMailboxId, to, message, policy.attemptTimeoutMs);
  }
  return sendEmailViaSmtp(await loadSmtpSettingsForSending(), to, message, policy.attemptTimeoutMs);
}
