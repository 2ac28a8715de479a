"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/action-result";
import { actorOf, getRequestMeta, requireUser } from "@/lib/auth/session";
import { channelFormFromData, channelFormSchema } from "@/lib/notify/channel-form";
import { createChannel, deleteChannel, rotateChannelSecret, setChannelEnabled, updateChannelEvents } from "@/lib/notify/notification-channels";
import { notificationEventSchema } from "@/lib/notify/notification-events";
import { notificationRulesSchema, updateNotificationRules } from "@/lib/notify/notification-settings";
import { sendTestNotification, type TestOutcome } from "@/lib/notify/send-test-notification";
import { saveSmtpSettings, smtpSettingsSchema } from "@/lib/notify/smtp-settings";
import { parseInput } from "@/lib/validation";

// Every action: validate → authorise (notifications.write, admins only) → lib/notify → shape. Secrets leave
// the server only as a webhook secret the portal just generated, once, to the admin who asked for it.

const PAGE = "/settings/notifications";

export async function createChannelAction(formData: FormData): Promise<ActionResult<{ generatedSecret: string | null }>> {
  return runAction("create notification channel", async () => {
    const input = parseInput(channelFormSchema, channelFormFromData(formData));
    const admin = await requireUser("notifications.write");
    const { generatedSecret } = await createChannel(input, actorOf(admin), await getRequestMeta());
    revalidatePath(PAGE);
    return { generatedSecret };
  }, "Channel added.");
}

const channelIdSchema = z.object({ channelId: z.string().trim().min(1).max(100) });

export async function sendTestAction(channelId: string): Promise<ActionResult<TestOutcome>> {
  return runAction("send test notification", async () => {
    const { channelId: id } = parseInput(channelIdSchema, { channelId });
    const admin = await requireUser("notifications.write");
    const outcome = await sendTestNotification(id, actorOf(admin), await getRequestMeta());
    revalidatePath(PAGE);
    return outcome;
  });
}

export async function setChannelEnabledAction(channelId: string, enabled: boolean): Promise<ActionResult> {
  return runAction("turn notification channel on or off", async () => {
    const input = parseInput(channelIdSchema.extend({ enabled: z.boolean() }), { channelId, enabled });
    const admin = await requireUser("notifications.write");
    await setChannelEnabled(input.channelId, input.enabled, actorOf(admin), await getRequestMeta());
    revalidatePath(PAGE);
    return undefined;
  });
}

export async function deleteChannelAction(channelId: string): Promise<ActionResult> {
  return runAction("delete notification channel", async () => {
    const { channelId: id } = parseInput(channelIdSchema, { channelId });
    const admin = await requireUser("notifications.write");
    await deleteChannel(id, actorOf(admin), await getRequestMeta());
    revalidatePath(PAGE);
    return undefined;
  });
}

export async function rotateSecretAction(channelId: string): Promise<ActionResult<{ secret: string }>> {
  return runAction("rotate webhook secret", async () => {
    const { channelId: id } = parseInput(channelIdSchema, { channelId });
    const admin = await requireUser("notifications.write");
    return { secret: await rotateChannelSecret(id, actorOf(admin), await getRequestMeta()) };
  });
}

const eventsFormSchema = channelIdSchema.extend({ events: z.array(notificationEventSchema).min(1, "Choose at least one event.") });

export async function updateChannelEventsAction(formData: FormData): Promise<ActionResult> {
  return runAction("change a channel's events", async () => {
    const input = parseInput(eventsFormSchema, { channelId: formData.get("channelId"), events: formData.getAll("events") });
    const admin = await requireUser("notifications.write");
    await updateChannelEvents(input.channelId, input.events, actorOf(admin), await getRequestMeta());
    revalidatePath(PAGE);
    return undefined;
  }, "Events saved.");
}

export async function updateRulesAction(formData: FormData): Promise<ActionResult<{ changed: string[] }>> {
  return runAction("update notification rules", async () => {
    const input = parseInput(notificationRulesSchema, Object.fromEntries(formData));
    const admin = await requireUser("notifications.write");
    const changed = await updateNotificationRules(input, actorOf(admin), await getRequestMeta());
    revalidatePath(PAGE);
    return { changed };
  }, "Rules saved.");
}

export async function updateSmtpSettingsAction(formData: FormData): Promise<ActionResult<{ changed: string[] }>> {
  return runAction("update SMTP settings for notifications", async () => {
    const input = parseInput(smtpSettingsSchema, Object.fromEntries(formData));
    const admin = await requireUser("notifications.write");
    const changed = await saveSmtpSettings(input, actorOf(admin), await getRequestMeta());
    revalidatePath(PAGE);
    return { changed };
  }, "SMTP settings saved.");
}
