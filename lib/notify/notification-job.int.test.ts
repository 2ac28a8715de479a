// The background job as instrumentation.ts starts it (shorter ticks, a 60-minute interval so only its hooks
// can explain a prompt evaluation): after health sweeps finish and after manual checks it evaluates at once,
// and it sends retries when their backoff is over.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { checkMailboxNow } from "@/lib/health/check-mailbox-now";
import { runHealthSweep } from "@/lib/health/run-health-sweep";
import { channelFormSchema } from "@/lib/notify/channel-form";
import { createChannel } from "@/lib/notify/notification-channels";
import { notificationEvents } from "@/lib/notify/notification-events";
import { startNotificationJob, type NotificationJob } from "@/lib/notify/notification-job";
import { loadDocumentedNodeVerifier } from "@/lib/notify/test-support/documented-verifiers";
import { ADELE, actor, connectedMailbox, meta, startNotifyTestEnv, type NotifyTestEnv } from "@/lib/notify/test-support/notify-test-env";
import { startWebhookReceiver, type WebhookReceiver } from "@/lib/notify/test-support/webhook-receiver";

const SECRET = "job-test-secret-8e7d6c5b4a39281706f5";
const sweepSettings = { concurrency: 2, checkTimeoutMs: 15_000, spreadMs: 0, historyMs: 30 * 86_400_000 };

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the notification job on sqlite", () => {
  let env: NotifyTestEnv;
  let adele: { mailboxId: string; grantId: string };
  let receiver: WebhookReceiver;
  let job: NotificationJob | null = null;
  const events = () => receiver.received.filter((r) => r.verified).map((r) => String(r.headers["x-portal-event"]));

  beforeAll(async () => {
    env = await startNotifyTestEnv("sqlite");
    adele = await connectedMailbox(env, ADELE, { outbound: null });
    receiver = await startWebhookReceiver(await loadDocumentedNodeVerifier(), SECRET);
    await createChannel(channelFormSchema.parse({ kind: "webhook", name: "Job receiver", url: receiver.url, secretMode: "enter", secret: SECRET, events: notificationEvents }), actor, meta);
    job = startNotificationJob({ intervalMinutes: 60, firstTickMs: 10, tickMs: 100, policy: { retryBaseDelayMs: 100, retryFactor: 2, maxAttempts: 3, attemptTimeoutMs: 5_000 } });
  }, 180_000);
  afterAll(async () => {
    await job?.stop();
    await receiver?.close();
    await env?.stop();
  });

  it("evaluates once at start, quietly", async () => {
    await until("the first evaluation", async () => ((await getDb().notificationState.count()) > 0 ? true : undefined));
    expect(events()).toEqual([]);
  });

  it("evaluates right after each health sweep: failing is told after the third failed sweep", async () => {
    await env.standIn.control.updateMailbox(ADELE, { switches: { imapDisabled: true } });
    for (let i = 1; i <= 2; i++) {
      const sweep = await runHealthSweep({ trigger: "manual", settings: sweepSettings });
      expect(sweep.ran).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 500)); // a few ticks: nothing to tell below the threshold
    expect(events()).toEqual([]);
    await runHealthSweep({ trigger: "manual", settings: sweepSettings });
    await until("mailbox.failing", () => (events().includes("mailbox.failing") ? true : undefined));
    expect(events()).toEqual(["mailbox.failing"]);
  });

  it("evaluates right after a manual check, and sends the retry when its backoff is over", async () => {
    await env.standIn.control.updateMailbox(ADELE, { switches: { imapDisabled: false } });
    receiver.script([500]);
    await checkMailboxNow(adele.mailboxId, { trigger: "manual" });
    await until("the retried recovery", () => (events().filter((e) => e === "mailbox.recovered").length === 2 ? true : undefined));
    // The receiver has the second attempt; its row is written right after the answer: wait for that too.
    await until("the delivery logged", async () =>
      (await getDb().notificationDelivery.count({ where: { event: "mailbox.recovered", status: "delivered" } })) === 1 ? true : undefined,
    );
    const rows = await getDb().notificationDelivery.findMany({ where: { event: "mailbox.recovered" }, orderBy: { attempt: "asc" } });
    expect(rows.map((r) => [r.attempt, r.status, r.responseCode])).toEqual([
      [1, "failed", 500],
      [2, "delivered", 200],
    ]);
  });
});
