import { getDb } from "@/lib/db/client";
import { logWarn } from "@/lib/log";
import type { AttemptResult } from "@/lib/notify/attempt-result";
import { attemptDelivery } from "@/lib/notify/attempt-delivery";
import { newDeliveryId } from "@/lib/notify/delivery-rows";
import { resolveDeliveryPolicy, retryDelayMs, type DeliveryPolicy } from "@/lib/notify/delivery-policy";

// Sends the due rows of the delivery log (first attempts and retries). Safe with several instances without
// a lease: each row is claimed by a compare-and-set on its nextAttemptAt, which moves it claimTimeoutMs
// ahead, so exactly one instance sends it; if that instance dies mid-attempt the row is due again later.
// The result is written only while the claim is still ours.

export interface DispatchOptions {
  policy?: Partial<DeliveryPolicy>;
  /** Only these rows (Send test, the rows an evaluation just wrote); otherwise every due row. */
  ids?: readonly string[];
  limit?: number;
  now?: () => Date;
  random?: () => number;
}

export interface DispatchReport {
  attempted: number;
  delivered: number;
  failed: number;
  retriesScheduled: number;
}

const CONCURRENCY = 4;

export async function dispatchDueDeliveries(options: DispatchOptions = {}): Promise<DispatchReport> {
  const policy = resolveDeliveryPolicy(options.policy);
  const clock = options.now ?? (() => new Date());
  const db = getDb();
  const due = await db.notificationDelivery.findMany({
    where: {
      status: { in: ["pending", "retrying"] },
      nextAttemptAt: { lte: clock() },
      ...(options.ids ? { id: { in: [...options.ids] } } : {}),
    },
    orderBy: { nextAttemptAt: "asc" },
    take: options.limit ?? 100,
    include: { channel: true },
  });
  const report: DispatchReport = { attempted: 0, delivered: 0, failed: 0, retriesScheduled: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < due.length) {
      const row = due[next++]!;
      const claimedUntil = new Date(clock().getTime() + policy.claimTimeoutMs);
      const claim = await db.notificationDelivery.updateMany({
        where: { id: row.id, status: row.status, nextAttemptAt: row.nextAttemptAt },
        data: { nextAttemptAt: claimedUntil },
      });
      if (claim.count !== 1) continue; // another instance has it
      report.attempted++;
      const at = clock();
      let result: AttemptResult;
      try {
        result = await attemptDelivery(row, row.channel, policy);
      } catch (error) {
        // A bug or a database outage, not the receiver: logged, and retried like any failure.
        logWarn(`Notification delivery ${row.id} failed unexpectedly`, error);
        result = { ok: false, responseCode: null, error: "the portal could not attempt the delivery (see its log)", retryable: true };
      }
      const outcome = await recordAttempt(row, claimedUntil, at, result, policy, options.random ?? Math.random, clock);
      if (outcome === "delivered") report.delivered++;
      else if (outcome === "retry") report.retriesScheduled++;
      else if (outcome === "failed") report.failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
  return report;
}

type RowForRecord = { id: string; channelId: string; event: string; subjectKey: string; payload: string; attempt: number; channel: { name: string } };

async function recordAttempt(
  row: RowForRecord,
  claimedUntil: Date,
  at: Date,
  result: AttemptResult,
  policy: DeliveryPolicy,
  random: () => number,
  clock: () => Date,
): Promise<"delivered" | "retry" | "failed" | "lost_claim"> {
  const db = getDb();
  const mine = { id: row.id, nextAttemptAt: claimedUntil };
  if (result.ok) {
    const { count } = await db.notificationDelivery.updateMany({ where: mine, data: { status: "delivered", responseCode: result.responseCode, error: null, nextAttemptAt: null, at } });
    return count === 1 ? "delivered" : "lost_claim";
  }
  const delay = result.retryable ? retryDelayMs(row.attempt, policy, random) : null;
  if (delay === null) {
    const gaveUp = result.retryable ? ` (gave up after ${row.attempt} attempt${row.attempt === 1 ? "" : "s"})` : "";
    const { count } = await db.notificationDelivery.updateMany({
      where: mine,
      data: { status: "failed", responseCode: result.responseCode, error: `${result.error ?? "failed"}${gaveUp}`.slice(0, 600), nextAttemptAt: null, at },
    });
    if (count === 1) logWarn(`Notification to channel "${row.channel.name}" (${row.event}) not delivered: ${result.error ?? "failed"}${gaveUp}`);
    return count === 1 ? "failed" : "lost_claim";
  }
  // This attempt's row says what happened; the next attempt gets its own row, due after the backoff.
  return db.$transaction(async (tx) => {
    const { count } = await tx.notificationDelivery.updateMany({ where: mine, data: { status: "failed", responseCode: result.responseCode, error: result.error, nextAttemptAt: null, at } });
    if (count !== 1) return "lost_claim" as const;
    await tx.notificationDelivery.create({
      data: {
        id: newDeliveryId(),
        channelId: row.channelId,
        event: row.event,
        subjectKey: row.subjectKey,
        payload: row.payload,
        attempt: row.attempt + 1,
        status: "retrying",
        nextAttemptAt: new Date(clock().getTime() + delay),
        at: clock(),
      },
    });
    return "retry" as const;
  });
}
