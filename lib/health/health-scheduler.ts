import { randomInt } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { logError, logInfo } from "@/lib/log";
import { getHealthSettings, type HealthSettings } from "@/lib/health/health-settings";
import { runHealthSweep } from "@/lib/health/run-health-sweep";

// Starts sweeps every HEALTH_SWEEP_INTERVAL_MINUTES, in every instance (instrumentation.ts, Node runtime
// only). Each instance sleeps until the next sweep is due by the shared record (last start + interval),
// then asks for the lease; the winner sweeps, the others find the sweep running or done and sleep again.
// A small random delay keeps the instances from all reaching for the lease in the same millisecond.

/** Never sleep longer than this between looks at the shared record (another instance may have swept). */
const MAX_NAP_MS = 5 * 60_000;
/** A sweep may start this much early against the record: timers are not exact. */
const DUE_SLACK_MS = 1_000;
const JITTER_MS = 2_000;
const BUSY_RETRY_MS = 30_000;
const ERROR_PAUSE_MS = 60_000;
/** The first look waits this long: start-up (and its health probe) comes first. */
const FIRST_LOOK_MS = 10_000;

export interface HealthScheduler {
  stop(): Promise<void>;
}

const store = globalThis as typeof globalThis & { __portalHealthScheduler?: HealthScheduler };

/** Starts the scheduler once per process; returns null when sweeps are turned off (interval 0). */
export function startHealthScheduler(settings: HealthSettings = getHealthSettings()): HealthScheduler | null {
  if (settings.intervalMs <= 0) {
    logInfo("Health sweeps are off (HEALTH_SWEEP_INTERVAL_MINUTES=0); Test now still works.");
    return null;
  }
  if (store.__portalHealthScheduler) return store.__portalHealthScheduler;
  const shutdown = new AbortController();
  let wake: (() => void) | null = null;
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = async (): Promise<void> => {
    await nap(Math.min(FIRST_LOOK_MS, settings.intervalMs) + randomInt(JITTER_MS));
    while (!shutdown.signal.aborted) {
      let pause = 0;
      try {
        const last = await getDb().healthSweep.findFirst({ orderBy: { startedAt: "desc" }, select: { startedAt: true } });
        const dueIn = last ? last.startedAt.getTime() + settings.intervalMs - Date.now() : 0;
        if (dueIn > DUE_SLACK_MS) {
          await nap(Math.min(dueIn, MAX_NAP_MS) + randomInt(JITTER_MS));
          continue;
        }
        const result = await runHealthSweep({ trigger: "schedule", settings, minGapMs: settings.intervalMs - DUE_SLACK_MS, signal: shutdown.signal });
        // Ran, or another instance ran it just now: the next due time is read again at the top.
        // Busy: another instance is sweeping; look again in a while.
        if (!result.ran && result.reason === "busy") pause = Math.min(settings.intervalMs / 4, BUSY_RETRY_MS);
      } catch (error) {
        logError("Health sweep failed; the next attempt follows after a pause", error);
        pause = Math.min(settings.intervalMs, ERROR_PAUSE_MS);
      }
      if (pause > 0 && !shutdown.signal.aborted) await nap(pause + randomInt(JITTER_MS));
    }
  };
  const running = loop();
  logInfo(
    `Health sweeps every ${settings.intervalMs / 60_000} min, ${settings.concurrency} at a time, ${settings.checkTimeoutMs / 1000} s per check, history ${Math.round(settings.historyMs / 86_400_000)} days.`,
  );
  const scheduler: HealthScheduler = {
    async stop() {
      shutdown.abort();
      wake?.();
      await running;
      if (store.__portalHealthScheduler === scheduler) store.__portalHealthScheduler = undefined;
    },
  };
  store.__portalHealthScheduler = scheduler;
  return scheduler;
}
