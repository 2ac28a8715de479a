import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { logInfo, logWarn } from "@/lib/log";
import { tryAcquireLease } from "@/lib/grants/lease";
import { checkMailboxNow } from "@/lib/health/check-mailbox-now";
import { observeSweep } from "@/lib/health/health-metrics";
import type { HealthSettings } from "@/lib/health/health-settings";
import { pruneHealthHistory } from "@/lib/health/prune-health-history";
import { runSpreadOut } from "@/lib/health/run-spread-out";

// One sweep: every connected mailbox (one with a grant, in any state: a grant that needs consent is
// recorded as failing, which is what support must see) checked over each of its protocols, at most
// `concurrency` mailboxes at once, start times spread out, then history older than the retention pruned.
// Only the holder of the `health-sweep` lease sweeps, so with several instances one sweep runs at a time;
// whether one is due is decided under the lease from the last recorded sweep, so the instances share one
// schedule instead of each sweeping on its own timer.

export const SWEEP_LEASE = "health-sweep";
/** Renewed every third of this while the sweep runs; a crashed holder blocks the next sweep this long at most. */
const SWEEP_LEASE_TTL_MS = 60_000;

export type SweepTrigger = "schedule" | "manual";

export interface SweepOptions {
  trigger: SweepTrigger;
  settings: Pick<HealthSettings, "concurrency" | "checkTimeoutMs" | "spreadMs" | "historyMs">;
  /** Skip when the last sweep started less than this long ago (the schedule); absent: sweep now. */
  minGapMs?: number;
  /** Shutdown: stop starting checks. */
  signal?: AbortSignal;
  /** Called once the lease is held and the sweep recorded (a manual sweep returns to the browser here). */
  onStarted?: (sweepId: string) => void;
}

export type SweepResult =
  | { ran: false; reason: "busy" | "not_due" }
  | { ran: true; sweepId: string; mailboxes: number; checks: number; failures: number; durationMs: number; stoppedEarly: string | null };

export async function runHealthSweep(options: SweepOptions): Promise<SweepResult> {
  const lease = await tryAcquireLease(SWEEP_LEASE, SWEEP_LEASE_TTL_MS);
  if (!lease) return { ran: false, reason: "busy" };
  const db = getDb();
  try {
    if (options.minGapMs !== undefined) {
      const last = await db.healthSweep.findFirst({ orderBy: { startedAt: "desc" }, select: { startedAt: true } });
      if (last && Date.now() - last.startedAt.getTime() < options.minGapMs) return { ran: false, reason: "not_due" };
    }
    const started = performance.now();
    const sweep = await db.healthSweep.create({ data: { trigger: options.trigger, holder: lease.holder }, select: { id: true } });
    const mailboxes = await db.mailbox.findMany({ where: { grant: { isNot: null } }, select: { id: true }, orderBy: { id: "asc" } });
    await db.healthSweep.update({ where: { id: sweep.id }, data: { mailboxes: mailboxes.length } });
    options.onStarted?.(sweep.id);

    // Stop starting checks on shutdown, or when the lease was lost (this instance stalled past its TTL and
    // another one may be sweeping now).
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let checks = 0;
    let failures = 0;
    const report = await runSpreadOut(
      mailboxes,
      async ({ id }) => {
        if (!lease.stillHeld()) return stop.abort();
        try {
          const results = await checkMailboxNow(id, { trigger: "sweep", timeoutMs: options.settings.checkTimeoutMs });
          checks += results.length;
          failures += results.filter((r) => r.outcome?.ok !== true).length;
        } catch (error) {
          // Deleted since the list was read: nothing to check. Anything else is a bug or an outage of the
          // database; one mailbox must not end the sweep.
          if (!(error instanceof AppError && error.code === "not_found")) logWarn(`Health sweep: checking mailbox ${id} failed`, error);
        }
      },
      { concurrency: options.settings.concurrency, spreadMs: options.settings.spreadMs, signal: stop.signal },
    );
    options.signal?.removeEventListener("abort", onAbort);
    const stoppedEarly = !report.stoppedEarly ? null : lease.stillHeld() ? "shutdown" : "lease_lost";
    const durationMs = Math.round(performance.now() - started);
    await db.healthSweep.update({ where: { id: sweep.id }, data: { finishedAt: new Date(), checks, failures, stoppedEarly } });
    observeSweep(durationMs, stoppedEarly !== null);
    const pruned = await pruneHealthHistory(new Date(Date.now() - options.settings.historyMs));
    logInfo(
      `Health sweep (${options.trigger}): ${mailboxes.length} mailboxes, ${checks} checks, ${failures} failing, ${durationMs} ms` +
        (stoppedEarly ? `, stopped early (${stoppedEarly})` : "") +
        (pruned.checks ? `; pruned ${pruned.checks} old checks` : ""),
    );
    return { ran: true, sweepId: sweep.id, mailboxes: mailboxes.length, checks, failures, durationMs, stoppedEarly };
  } finally {
    await lease.release();
  }
}
