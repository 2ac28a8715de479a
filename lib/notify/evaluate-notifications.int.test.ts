// The evaluation against real state: a connected mailbox checked for real over IMAP at the stand-in's
// Dovecot (IMAP switched off there to make it fail), app credential dates and refresh-token ages in the
// database, and a receiver per channel. Told once per state change (evaluating again, "restarting" or two
// evaluations at once add nothing), after the configured number of failed checks, at 30/14/7 days before a
// credential expires, daily reminders by an injected clock, and each channel only its chosen events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { checkMailboxNow } from "@/lib/health/check-mailbox-now";
import { expireAccessTokens } from "@/lib/grants/test-support/grant-fixture";
import { channelFormSchema } from "@/lib/notify/channel-form";
import { evaluateNotifications, type EvaluationReport } from "@/lib/notify/evaluate-notifications";
import { createChannel } from "@/lib/notify/notification-channels";
import { notificationEvents } from "@/lib/notify/notification-events";
import { notificationPayloadSchema, type NotificationPayload } from "@/lib/notify/notification-payload";
import { loadDocumentedNodeVerifier } from "@/lib/notify/test-support/documented-verifiers";
import { ADELE, actor, connectedMailbox, meta, startNotifyTestEnv, type NotifyTestEnv } from "@/lib/notify/test-support/notify-test-env";
import { startWebhookReceiver, type WebhookReceiver } from "@/lib/notify/test-support/webhook-receiver";
import { providers } from "@/e2e/support/test-database";

const DAY = 86_400_000;
const policy = { maxAttempts: 1, attemptTimeoutMs: 5_000 };
const SECRET_ALL = "secret-for-every-event-0a9b8c7d6e5f";
const SECRET_EXPIRY = "secret-for-expiry-only-1f2e3d4c5b6a";

const told = (r: EvaluationReport) => r.notifications.map((n) => `${n.event}${n.reminder ? " (reminder)" : ""}`);
const payloads = (receiver: WebhookReceiver): NotificationPayload[] => receiver.received.filter((r) => r.verified).map((r) => notificationPayloadSchema.parse(JSON.parse(r.rawBody.toString("utf8"))));

describe.each(providers)("notification evaluation on %s", (provider) => {
  let env: NotifyTestEnv;
  let adele: { mailboxId: string; grantId: string };
  let all: WebhookReceiver;
  let expiryOnly: WebhookReceiver;
  const evaluate = (now?: Date) => evaluateNotifications({ policy, ...(now ? { now } : {}) });
  const check = () => checkMailboxNow(adele.mailboxId, { trigger: "sweep" });

  beforeAll(async () => {
    env = await startNotifyTestEnv(provider);
    adele = await connectedMailbox(env, ADELE);
    const verify = await loadDocumentedNodeVerifier();
    all = await startWebhookReceiver(verify, SECRET_ALL);
    expiryOnly = await startWebhookReceiver(verify, SECRET_EXPIRY);
    const channel = (name: string, url: string, secret: string, events: readonly string[]) =>
      createChannel(channelFormSchema.parse({ kind: "webhook", name, url, secretMode: "enter", secret, events }), actor, meta);
    await channel("Every event", all.url, SECRET_ALL, notificationEvents);
    await channel("Expiry only", expiryOnly.url, SECRET_EXPIRY, ["app.credential_expiring"]);
  }, 180_000);
  afterAll(async () => {
    await all?.close();
    await expiryOnly?.close();
    await env?.stop();
  });

  it("first sight of healthy subjects is recorded without a word", async () => {
    expect(told(await evaluate())).toEqual([]);
    const states = await getDb().notificationState.findMany({ orderBy: { subjectKey: "asc" } });
    expect(states.map((s) => `${s.subjectKey.split(":")[0]}=${s.state}`).sort()).toEqual(["app-credential=ok", "app-credential=ok", "mailbox=ok", "refresh-token=ok"]);
  });

  it("failing only after 3 failed checks in a row, told once however often it is evaluated", async () => {
    await env.standIn.control.updateMailbox(ADELE, { switches: { imapDisabled: true } });
    await check();
    await check();
    expect(told(await evaluate())).toEqual([]);
    await check();
    expect(told(await evaluate())).toEqual(["mailbox.failing"]);
    expect(told(await evaluate())).toEqual([]);
    await check();
    expect(told(await evaluate())).toEqual([]);

    const [failing] = payloads(all);
    expect(failing).toMatchObject({
      type: "mailbox.failing",
      reminder: false,
      subject: { kind: "mailbox", id: adele.mailboxId, label: ADELE },
      state: "failing",
      previousState: "ok",
      actor: "admin",
      details: { failingProtocols: ["IMAP inbound"], consecutiveFailedChecks: 3 },
      links: { mailbox: `http://localhost:3000/mailboxes/${adele.mailboxId}` },
    });
    expect(failing!.title).toMatch(/^Mailbox failing: /);
    expect(failing!.fix.length).toBeGreaterThan(10);
    expect(payloads(expiryOnly)).toEqual([]);
    expect(await getDb().notificationDelivery.count({ where: { event: "mailbox.failing" } })).toBe(1);
  });

  it("a restart repeats nothing, and two evaluations at once tell a change once", async () => {
    await closeDb(); // a new process's client: only the database remembers
    expect(told(await evaluate())).toEqual([]);
    await env.standIn.control.updateMailbox(ADELE, { switches: { imapDisabled: false } });
    await check();
    const reports = await Promise.all([evaluate(), evaluate(), evaluate()]);
    expect(reports.flatMap(told)).toEqual(["mailbox.recovered"]);
    expect(await getDb().notificationDelivery.count({ where: { event: "mailbox.recovered" } })).toBe(1);
    expect(payloads(all).at(-1)).toMatchObject({ type: "mailbox.recovered", state: "ok", previousState: "failing" });
  });

  it("credential expiry at 30, 14 and 7 days, reminders daily from 7 days on (injected clock)", async () => {
    const base = new Date(Date.now() + 60_000);
    const app = await getDb().appRegistration.findFirstOrThrow({ where: { label: "Portal" } });
    await getDb().appRegistration.update({ where: { id: app.id }, data: { credentialExpiresAt: new Date(base.getTime() + 30 * DAY) } });
    const at = (days: number) => new Date(base.getTime() + days * DAY);
    const seen: string[] = [];
    for (const day of [0, 0.5, 15, 16, 22, 23, 23.5, 23.99, 24, 24.5, 25, 30]) seen.push(`${day}: ${told(await evaluate(at(day))).join(",")}`);
    expect(seen).toEqual([
      "0: app.credential_expiring",
      "0.5: ",
      "15: ",
      "16: app.credential_expiring",
      "22: ",
      "23: app.credential_expiring",
      "23.5: ",
      "23.99: ",
      "24: app.credential_expiring (reminder)",
      "24.5: ",
      "25: app.credential_expiring (reminder)",
      "30: app.credential_expiring",
    ]);
    const expiry = payloads(expiryOnly);
    expect(expiry.map((p) => [p.details.daysLeft, p.state, p.reminder])).toEqual([
      [30, "expiring_30", false],
      [14, "expiring_14", false],
      [7, "expiring_7", false],
      [6, "expiring_7", true],
      [5, "expiring_7", true],
      [0, "expired", false],
    ]);
    expect(expiry[0]).toMatchObject({ subject: { kind: "app_registration", id: app.id, label: "Portal" }, title: "App client secret expires in 30 days", actor: "admin" });
    expect(expiry.at(-1)!.title).toBe("App client secret expired");
    // The same events reached the channel that wants every event; the expiry channel got nothing else.
    expect(payloads(all).filter((p) => p.type === "app.credential_expiring")).toHaveLength(6);
    // Renewed: recorded quietly.
    await getDb().appRegistration.update({ where: { id: app.id }, data: { credentialExpiresAt: new Date("2031-01-01") } });
    expect(told(await evaluate(at(31)))).toEqual([]);
    expect((await getDb().notificationState.findUniqueOrThrow({ where: { subjectKey: `app-credential:${app.id}` } })).state).toBe("ok");
  });

  it("a refresh token 76+ days without renewal is told with the days left", async () => {
    await getDb().grant.update({ where: { id: adele.grantId }, data: { refreshTokenIssuedAt: new Date(Date.now() - 80 * DAY) } });
    expect(told(await evaluate())).toEqual(["grant.refresh_token_expiring"]);
    expect(told(await evaluate())).toEqual([]);
    expect(payloads(all).at(-1)).toMatchObject({ type: "grant.refresh_token_expiring", details: { daysLeft: 9 }, subject: { label: ADELE } });
  });

  it("needs re-consent when Microsoft revokes the grant; nothing about an unconnected mailbox", async () => {
    await env.standIn.control.revokeUser(ADELE);
    await expireAccessTokens(adele.grantId);
    await check();
    expect(told(await evaluate())).toEqual(["mailbox.needs_consent"]);
    const last = payloads(all).at(-1)!;
    expect(last).toMatchObject({ type: "mailbox.needs_consent", state: "needs_consent", previousState: "ok", actor: "mailbox_owner" });
    expect(last.title).toMatch(/^Mailbox needs re-consent: /);
    // Disconnected: the subject goes quiet, no "recovered".
    await getDb().grant.delete({ where: { id: adele.grantId } });
    expect(told(await evaluate())).toEqual([]);
    expect(payloads(expiryOnly).every((p) => p.type === "app.credential_expiring")).toBe(true);
  });

  it("no token or secret in any delivery row", async () => {
    const stored = JSON.stringify(await getDb().notificationDelivery.findMany()) + JSON.stringify(await getDb().auditEvent.findMany());
    for (const secret of [SECRET_ALL, SECRET_EXPIRY]) expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./);
    const rows = await getDb().notificationDelivery.findMany();
    expect(rows.every((r) => r.status === "delivered")).toBe(true);
  });
});
