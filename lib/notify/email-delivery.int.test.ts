// E-mail notifications against the stand-in: through a connected mailbox over SMTP XOAUTH2 to the real
// Postfix (read back through the control API's delivered mail) and over Graph sendMail; through the SMTP
// settings to a password relay, and refused by Postfix (which, like Exchange Online, refuses passwords)
// with the server's words and without the password; and the owner of a mailbox that needs consent gets a
// working one-time consent link that is stored nowhere in the notification.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { resolveConsentLink } from "@/lib/consent/consent-links";
import { checkMailboxNow } from "@/lib/health/check-mailbox-now";
import { expireAccessTokens } from "@/lib/grants/test-support/grant-fixture";
import { channelFormSchema } from "@/lib/notify/channel-form";
import { evaluateNotifications } from "@/lib/notify/evaluate-notifications";
import { createChannel, setChannelEnabled } from "@/lib/notify/notification-channels";
import { notificationEvents } from "@/lib/notify/notification-events";
import { updateNotificationRules } from "@/lib/notify/notification-settings";
import { sendTestNotification } from "@/lib/notify/send-test-notification";
import { saveSmtpSettings, smtpSettingsSchema } from "@/lib/notify/smtp-settings";
import { ADELE, actor, connectedMailbox, MEGAN, meta, startNotifyTestEnv, type NotifyTestEnv } from "@/lib/notify/test-support/notify-test-env";
import { startSmtpRelay, type SmtpRelay } from "@/lib/notify/test-support/smtp-relay";

const once = { maxAttempts: 1, attemptTimeoutMs: 15_000 };
const RELAY_PASSWORD = "relay-password-7f3c9a1e";
const POSTFIX_PASSWORD = "adele-password-2b8d4e6f";

async function emailChannel(name: string, emailTo: string, via: { mailboxId: string } | "smtp") {
  const input = channelFormSchema.parse({
    kind: "email",
    name,
    emailTo,
    emailVia: via === "smtp" ? "smtp" : "mailbox",
    ...(via === "smtp" ? {} : { viaMailboxId: via.mailboxId }),
    events: [...notificationEvents],
  });
  return (await createChannel(input, actor, meta)).id;
}

/** The Subject header, unfolded (long subjects are folded onto continuation lines). */
const subjectOf = (raw: string) => /^Subject: (.*)$/m.exec(raw.replace(/\r?\n[ \t]+/g, " "))?.[1] ?? "";
/** The message text with quoted-printable soft breaks and escapes undone (nodemailer wraps long lines). */
const textOf = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

describe("e-mail notifications on sqlite", () => {
  let env: NotifyTestEnv;
  let adele: { mailboxId: string; grantId: string };
  let viaAdele: string;
  let relay: SmtpRelay;

  beforeAll(async () => {
    env = await startNotifyTestEnv("sqlite");
    adele = await connectedMailbox(env, ADELE);
    viaAdele = await emailChannel("Ops by e-mail", MEGAN, adele);
    relay = await startSmtpRelay({ user: "notify@contoso.com", password: RELAY_PASSWORD });
  }, 180_000);
  afterAll(async () => {
    await relay?.close();
    await env?.stop();
  });

  it("through a connected mailbox over SMTP XOAUTH2: Postfix delivers it to the recipient", async () => {
    const outcome = await sendTestNotification(viaAdele, actor, meta, once);
    expect(outcome).toMatchObject({ status: "delivered", responseCode: 250, error: null });
    const mail = (await env.standIn.control.delivered(MEGAN)).find((m) => subjectOf(m.raw).includes("Test notification: Ops by e-mail"));
    expect(mail, "delivered to megan").toBeDefined();
    expect(mail!.from).toBe(ADELE);
    expect(textOf(mail!.raw)).toContain("sent this test from the Notifications page");
    expect(textOf(mail!.raw)).toContain("/settings/notifications");
  });

  it("through a connected mailbox over Graph sendMail", async () => {
    const graphBox = await connectedMailbox(env, ADELE, { inbound: null, outbound: "graph" });
    const channel = await emailChannel("Ops by Graph", MEGAN, graphBox);
    const outcome = await sendTestNotification(channel, actor, meta, once);
    expect(outcome).toMatchObject({ status: "delivered", responseCode: 202 });
    const sent = await env.standIn.control.graphSent(ADELE);
    expect(sent.find((s) => s.subject.includes("Test notification: Ops by Graph"))).toMatchObject({ to: [MEGAN], contentType: "text" });
  });

  it("through the SMTP settings: a password relay takes it", async () => {
    await saveSmtpSettings(
      smtpSettingsSchema.parse({ host: relay.host, port: String(relay.port), security: "none", user: "notify@contoso.com", password: RELAY_PASSWORD, fromAddress: "portal@contoso.com" }),
      actor,
      meta,
    );
    const channel = await emailChannel("Ops by relay", "ops@example.com, it@example.com", "smtp");
    const outcome = await sendTestNotification(channel, actor, meta, once);
    expect(outcome).toMatchObject({ status: "delivered", responseCode: 250 });
    expect(relay.logins).toEqual([{ user: "notify@contoso.com", ok: true }]);
    expect(relay.messages).toHaveLength(1);
    expect(relay.messages[0]).toMatchObject({ from: "portal@contoso.com", to: ["ops@example.com", "it@example.com"] });
    expect(subjectOf(relay.messages[0]!.data)).toContain("Test notification: Ops by relay");
  });

  it("through the SMTP settings to Postfix, which refuses passwords: the server's words, no password", async () => {
    const smtp = env.standIn.mail!.smtp;
    await saveSmtpSettings(
      smtpSettingsSchema.parse({ host: smtp.host, port: String(smtp.port), security: "starttls", user: ADELE, password: POSTFIX_PASSWORD, fromAddress: ADELE, trustedCaPem: env.standIn.caPem }),
      actor,
      meta,
    );
    const channel = await emailChannel("Ops by Postfix password", MEGAN, "smtp");
    const outcome = await sendTestNotification(channel, actor, meta, once);
    expect(outcome.status).toBe("failed");
    expect(outcome.responseCode).toBe(535);
    expect(outcome.error).toContain("login refused");
    expect(outcome.error).toContain("5.7.139");
    expect(outcome.error).not.toContain(POSTFIX_PASSWORD);
  });

  it("the owner of a mailbox that needs consent is e-mailed a working one-time consent link, stored nowhere", async () => {
    const megan = await connectedMailbox(env, MEGAN, { ownerEmail: MEGAN });
    // Only the channel through Adele's mailbox stays on: it tells the admins, and carries the owner's e-mail.
    for (const c of await getDb().notificationChannel.findMany({ where: { id: { not: viaAdele } } })) await setChannelEnabled(c.id, false, actor, meta);
    await updateNotificationRules({ failingAfterChecks: 3, remindDaily: true, emailOwnerConsentLink: true, ownerEmailChannelId: viaAdele }, actor, meta);
    // First sight of the healthy mailbox: recorded quietly.
    await evaluateNotifications({ policy: once });
    // Microsoft revokes Megan's grant (a password reset, field lessons #2); the next refresh says so.
    await env.standIn.control.revokeUser(MEGAN);
    await expireAccessTokens(megan.grantId);
    await checkMailboxNow(megan.mailboxId, { trigger: "manual" });
    expect((await getDb().grant.findUniqueOrThrow({ where: { id: megan.grantId } })).state).toBe("needs_consent");

    const report = await evaluateNotifications({ policy: once });
    expect(report.notifications).toEqual([{ subjectKey: `mailbox:${megan.mailboxId}`, event: "mailbox.needs_consent", reminder: false, deliveries: 2 }]);
    const rows = await getDb().notificationDelivery.findMany({ where: { subjectKey: `mailbox:${megan.mailboxId}` } });
    expect(rows.map((r) => r.status)).toEqual(["delivered", "delivered"]);

    const inbox = await env.standIn.control.delivered(MEGAN);
    const ownerMail = inbox.find((m) => subjectOf(m.raw).includes(`Please sign in again to keep ${MEGAN} connected`));
    expect(ownerMail, "the owner's e-mail").toBeDefined();
    const token = /\/consent\/([A-Za-z0-9_-]{20,})/.exec(textOf(ownerMail!.raw))?.[1];
    expect(token).toBeDefined();
    const resolved = await resolveConsentLink(token!);
    expect(resolved).toMatchObject({ ok: true, target: { mailboxId: megan.mailboxId, address: MEGAN } });
    const adminMail = inbox.find((m) => subjectOf(m.raw).includes(`Mailbox needs re-consent`));
    expect(textOf(adminMail!.raw)).not.toContain("/consent/");

    // The link is in the e-mail only: not in the delivery log, the audit, or any payload.
    const stored = JSON.stringify(await getDb().notificationDelivery.findMany()) + JSON.stringify(await getDb().auditEvent.findMany());
    expect(stored).not.toContain(token!);
    expect((await getDb().auditEvent.findMany({ where: { action: "consent_link.created" } })).map((a) => a.actorLabel)).toContain("system");
  });

  it("no password, token or secret in delivery rows or audit records", async () => {
    const stored = JSON.stringify(await getDb().notificationDelivery.findMany()) + JSON.stringify(await getDb().auditEvent.findMany()) + JSON.stringify(await getDb().setting.findMany({ select: { key: true, value: true } }));
    for (const secret of [RELAY_PASSWORD, POSTFIX_PASSWORD]) expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./);
    expect(stored).not.toMatch(/auth=Bearer/i);
  });
});
