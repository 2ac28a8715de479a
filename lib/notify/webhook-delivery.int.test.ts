// Webhooks end to end against a receiver written from the README (node:http + the documented Node snippet,
// and the documented Python snippet run by python3): signatures verify, an old timestamp is refused, a
// receiver answering 500 twice then 200 sees three attempts that the delivery log keeps with their codes,
// and no secret reaches a delivery row, an audit record or the database file in plain text.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { channelFormSchema } from "@/lib/notify/channel-form";
import { dispatchDueDeliveries } from "@/lib/notify/dispatch-deliveries";
import { listDeliveries } from "@/lib/notify/list-deliveries";
import { createChannel } from "@/lib/notify/notification-channels";
import { notificationPayloadSchema } from "@/lib/notify/notification-payload";
import { sendTestNotification } from "@/lib/notify/send-test-notification";
import { signatureHeader } from "@/lib/notify/webhook-signature";
import { loadDocumentedNodeVerifier, verifyWithDocumentedPython, type NodeVerifier } from "@/lib/notify/test-support/documented-verifiers";
import { startWebhookReceiver, type WebhookReceiver } from "@/lib/notify/test-support/webhook-receiver";
import { actor, meta } from "@/lib/notify/test-support/notify-test-env";
import { startTestDatabase, type TestDatabase } from "@/e2e/support/test-database";

const fastRetries = { retryBaseDelayMs: 40, retryFactor: 2, retryMaxDelayMs: 200, attemptTimeoutMs: 3_000 };
const ENTERED_SECRET = "receiver-chosen-secret-5b1e0c7a9d2f";

async function webhookChannel(name: string, url: string, secret?: string) {
  const input = channelFormSchema.parse({
    kind: "webhook",
    name,
    url,
    events: ["mailbox.failing", "mailbox.recovered", "mailbox.needs_consent", "app.credential_expiring", "grant.refresh_token_expiring"],
    ...(secret ? { secretMode: "enter", secret } : { secretMode: "generate" }),
  });
  return createChannel(input, actor, meta);
}

/** Dispatches until nothing is pending or retrying (each retry waits its short backoff). */
async function drain(deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    await dispatchDueDeliveries({ policy: fastRetries });
    const open = await getDb().notificationDelivery.count({ where: { status: { in: ["pending", "retrying"] } } });
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("deliveries still open after the deadline");
}

describe("webhook notifications on sqlite", () => {
  let db: TestDatabase;
  let verify: NodeVerifier;
  let receiver: WebhookReceiver;
  let generated: { id: string; secret: string };

  beforeAll(async () => {
    db = await startTestDatabase("sqlite", { NOTIFY_INTERVAL_MINUTES: "0" });
    verify = await loadDocumentedNodeVerifier();
    receiver = await startWebhookReceiver(verify, "");
    const created = await webhookChannel("Help desk", receiver.url);
    generated = { id: created.id, secret: created.generatedSecret! };
    receiver.secret = generated.secret;
  }, 120_000);
  afterAll(async () => {
    await receiver?.close();
    await db?.cleanup();
  });

  it("Send test: the receiver verifies the signature with the documented Node and Python code", async () => {
    expect(generated.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    const outcome = await sendTestNotification(generated.id, actor, meta, fastRetries);
    expect(outcome).toMatchObject({ status: "delivered", responseCode: 200, error: null });
    const request = receiver.received.at(-1)!;
    expect(request.verified).toBe(true);
    expect(request.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(request.headers["x-portal-event"]).toBe("notification.test");
    expect(request.headers["x-portal-delivery-attempt"]).toBe("1");
    const body = notificationPayloadSchema.parse(JSON.parse(request.rawBody.toString("utf8")));
    expect(body).toMatchObject({ type: "notification.test", subject: { kind: "channel", label: "Help desk" }, title: "Test notification" });
    expect(request.headers["x-portal-event-id"]).toBe(body.id);
    // The signature covers the timestamp and the body byte for byte.
    const header = String(request.headers["x-portal-signature"]);
    expect(header).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
    expect(Math.abs(Number(/t=(\d+)/.exec(header)![1]) - Date.now() / 1000)).toBeLessThan(30);
    expect(verifyWithDocumentedPython(request.rawBody, header, generated.secret)).toBe(true);
    expect(verifyWithDocumentedPython(request.rawBody, header, `${generated.secret}x`)).toBe(false);
    expect(verifyWithDocumentedPython(Buffer.from(request.rawBody.toString("utf8").replace("Test", "Tset")), header, generated.secret)).toBe(false);
    const [row] = await listDeliveries({ channelId: generated.id });
    expect(row).toMatchObject({ event: "notification.test", status: "delivered", responseCode: 200, attempt: 1, subjectLabel: "Help desk" });
  });

  it("a replayed request with an old timestamp is refused by both documented receivers", async () => {
    const request = receiver.received.find((r) => r.verified)!;
    // A captured request re-sent 6 minutes later, and one re-signed with a 6-minute-old timestamp (as an
    // attacker holding an old capture would have it): neither passes the 5-minute window.
    const old = Math.floor(Date.now() / 1000) - 360;
    const oldHeader = signatureHeader(generated.secret, request.rawBody.toString("utf8"), old);
    expect(verify(request.rawBody, oldHeader, generated.secret)).toBe(false);
    expect(verifyWithDocumentedPython(request.rawBody, oldHeader, generated.secret)).toBe(false);
    const before = receiver.received.length;
    const replay = await fetch(receiver.url, { method: "POST", headers: { "content-type": "application/json", "x-portal-signature": oldHeader }, body: request.rawBody.toString("utf8") });
    expect(replay.status).toBe(401);
    expect(receiver.received[before]!.verified).toBe(false);
    // The same capture within the window still verifies: receivers drop duplicates by the payload's id.
    const fresh = signatureHeader(generated.secret, request.rawBody.toString("utf8"), Math.floor(Date.now() / 1000) - 200);
    expect(verify(request.rawBody, fresh, generated.secret)).toBe(true);
  });

  it("retries with backoff: 500, 500, then 200 are three attempts in the log with their codes", async () => {
    const own = await startWebhookReceiver(verify, ENTERED_SECRET);
    try {
      const { id, generatedSecret } = await webhookChannel("Retrying receiver", own.url, ENTERED_SECRET);
      expect(generatedSecret).toBeNull();
      own.script([500, 500, 200]);
      const first = await sendTestNotification(id, actor, meta, fastRetries);
      expect(first).toMatchObject({ status: "failed", responseCode: 500, error: "the receiver answered HTTP 500" });
      await drain();
      const rows = await getDb().notificationDelivery.findMany({ where: { channelId: id }, orderBy: { attempt: "asc" } });
      expect(rows.map((r) => [r.attempt, r.status, r.responseCode])).toEqual([
        [1, "failed", 500],
        [2, "failed", 500],
        [3, "delivered", 200],
      ]);
      // Backoff: each retry waited at least its (jittered) delay after the previous attempt.
      expect(rows[1]!.at.getTime() - rows[0]!.at.getTime()).toBeGreaterThanOrEqual(30);
      expect(rows[2]!.at.getTime() - rows[1]!.at.getTime()).toBeGreaterThanOrEqual(60);
      // The receiver saw three signed attempts of one event: same body and id, fresh signatures.
      expect(own.received.map((r) => [r.verified, r.answered, r.headers["x-portal-delivery-attempt"]])).toEqual([
        [true, 500, "1"],
        [true, 500, "2"],
        [true, 200, "3"],
      ]);
      expect(new Set(own.received.map((r) => r.rawBody.toString("utf8"))).size).toBe(1);
      expect(new Set(own.received.map((r) => r.headers["x-portal-event-id"])).size).toBe(1);
      const log = await listDeliveries({ channelId: id });
      expect(log.map((r) => `${r.attempt}:${r.status}:${r.responseCode}`)).toEqual(["3:delivered:200", "2:failed:500", "1:failed:500"]);
    } finally {
      await own.close();
    }
  });

  it("gives up after the last attempt on network errors, and says why", async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const { id } = await webhookChannel("Unreachable", `http://127.0.0.1:${closed}/hook?key=query-secret-value`, ENTERED_SECRET);
    await sendTestNotification(id, actor, meta, { ...fastRetries, maxAttempts: 3 });
    const end = Date.now() + 10_000;
    while ((await getDb().notificationDelivery.count({ where: { channelId: id, status: { in: ["pending", "retrying"] } } })) > 0 && Date.now() < end) {
      await dispatchDueDeliveries({ policy: { ...fastRetries, maxAttempts: 3 } });
      await new Promise((r) => setTimeout(r, 25));
    }
    const rows = await getDb().notificationDelivery.findMany({ where: { channelId: id }, orderBy: { attempt: "asc" } });
    expect(rows.map((r) => [r.attempt, r.status, r.responseCode])).toEqual([
      [1, "failed", null],
      [2, "failed", null],
      [3, "failed", null],
    ]);
    expect(rows[0]!.error).toBe("connection refused (ECONNREFUSED)");
    expect(rows[2]!.error).toBe("connection refused (ECONNREFUSED) (gave up after 3 attempts)");
  });

  it("one row is sent once even when two dispatchers race for it", async () => {
    const { id } = await webhookChannel("Race", receiver.url.replace("/hooks/", "/race/"), generated.secret);
    const before = receiver.received.length;
    const now = new Date();
    await getDb().notificationDelivery.create({
      data: { id: "dlv_race", channelId: id, event: "notification.test", subjectKey: "test:race", payload: (await getDb().notificationDelivery.findFirstOrThrow({ where: { channelId: generated.id } })).payload, attempt: 1, status: "pending", nextAttemptAt: now, at: now },
    });
    const reports = await Promise.all([dispatchDueDeliveries({ ids: ["dlv_race"] }), dispatchDueDeliveries({ ids: ["dlv_race"] }), dispatchDueDeliveries({ ids: ["dlv_race"] })]);
    expect(reports.reduce((n, r) => n + r.attempted, 0)).toBe(1);
    expect(receiver.received.length - before).toBe(1);
  });

  it("no secret in delivery rows, audit records, or the database file in plain text", async () => {
    const rows = await getDb().notificationDelivery.findMany();
    const audits = await getDb().auditEvent.findMany();
    const text = JSON.stringify(rows) + JSON.stringify(audits);
    for (const secret of [generated.secret, ENTERED_SECRET, "query-secret-value"]) expect(text).not.toContain(secret);
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(["notification_channel.created", "notification_channel.tested"]));
    await getDb().$executeRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    const files = fs.readdirSync(db.dataDir).filter((f) => f.startsWith("portal.db"));
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(db.dataDir, f));
      for (const secret of [generated.secret, ENTERED_SECRET]) expect(bytes.includes(Buffer.from(secret)), `${secret} in ${f}`).toBe(false);
    }
  });
});
