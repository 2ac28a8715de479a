import { randomInt } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { logInfo, logWarn } from "@/lib/log";
import type { DeliveryPolicy } from "@/lib/notify/delivery-policy";
import { dispatchDueDeliveries } from "@/lib/notify/dispatch-deliveries";
import { evaluateNotifications } from "@/lib/notify/evaluate-notifications";

// The background job (instrumentation.ts, Node runtime only), in every instance. Each tick:
//  1. sends due deliveries (first attempts left by a crash, retries after their backoff); rows are claimed
//     one by one, so instances never send the same row twice;
//  2. evaluates when NOTIFY_INTERVAL_MINUTES have passed, or at once when a health sweep finished or a
//     mailbox was checked by hand since the last evaluation (the "after sweeps" hook: read from the
//     sweep and check history lib/health writes, so lib/health needs no call into this module).
// The evaluation takes the notify-evaluation lease; an instance that finds it held simply skips.

const TICK_MS = 15_000;
/** Start-up comes first (migrations, the health probe); then the first look. */
const FIRST_TICK_MS = 20_000;

export interface NotificationJob {
  stop(): Promise<void>;
}

const store = globalThis as typeof globalThis & { __portalNotificationJob?: NotificationJob };

export interface NotificationJobOptions {
  intervalMinutes?: number;
  /** Tests shorten these; the product's are above. */
  firstTickMs?: number;
  tickMs?: number;
  policy?: Partial<DeliveryPolicy>;
}

export function startNotificationJob(options: NotificationJobOptions = {}): NotificationJob | null {
  const intervalMinutes = options.intervalMinutes ?? getEnv().NOTIFY_INTERVAL_MINUTES;
  const tickMs = options.tickMs ?? TICK_MS;
  const policy = options.policy ? { policy: options.policy } : {};
  if (intervalMinutes <= 0) {
    logInfo("Notifications are off (NOTIFY_INTERVAL_MINUTES=0): nothing is evaluated or retried; Send test still works.");
    return null;
  }
  if (store.__portalNotificationJob) return store.__portalNotificationJob;
  const intervalMs = intervalMinutes * 60_000;
  let lastEvaluation = 0;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const tick = async (): Promise<void> => {
    try {
      await dispatchDueDeliveries(policy);
      const since = new Date(lastEvaluation);
      const due = Date.now() - lastEvaluation >= intervalMs || (await somethingCheckedSince(since));
      if (due) {
        const startedAt = Date.now();
        // Not run (lease busy): another instance is evaluating now, which serves this round too.
        await evaluateNotifications(policy);
        lastEvaluation = startedAt;
      }
    } catch (error) {
      logWarn("Notification job: this round failed; the next one retries.", error);
    }
  };

  let timer: NodeJS.Timeout | null = null;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => schedule(tickMs + randomInt(Math.max(1, Math.round(tickMs / 8)))));
    }, ms);
    timer.unref();
  };
  schedule(options.firstTickMs ?? FIRST_TICK_MS + randomInt(5_000));
  logInfo(`Notifications evaluated every ${intervalMinutes} min and after health sweeps; deliveries retried with backoff.`);

  const job: NotificationJob = {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      if (store.__portalNotificationJob === job) store.__portalNotificationJob = undefined;
    },
  };
  store.__portalNotificationJob = job;
  return job;
}

/** A sweep finished, or a mailbox was checked outside a sweep (Test now, Connect), after `since`. */
async function somethingCheckedSince(since: Date): Promise<boolean> {
  const db = getDb();
  const [sweep, check] = await Promise.all([
    db.healthSweep.findFirst({ where: { finishedAt: { gt: since } }, select: { id: true } }),
    db.healthCheck.findFirst({ where: { at: { gt: since }, trigger: { not: "sweep" } }, select: { id: true } }),
  ]);
  return sweep !== null || check !== null;
}
