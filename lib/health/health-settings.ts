import { getEnv } from "@/lib/env";

// The sweep's timings in one place, from the validated environment (lib/env.ts; README, Configuration).

export interface HealthSettings {
  /** Time between sweep starts; 0: the scheduler does not run (Test now still works). */
  intervalMs: number;
  /** Checks (one mailbox each) running at once within a sweep. */
  concurrency: number;
  /** Deadline of one protocol check (connect, TLS, login, operation). */
  checkTimeoutMs: number;
  /** Start times are spread evenly over this first part of the interval, so the servers see a trickle, not a burst. */
  spreadMs: number;
  /** HealthCheck and HealthSweep rows older than this are deleted after each sweep. */
  historyMs: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

export function getHealthSettings(): HealthSettings {
  const env = getEnv();
  const intervalMs = Math.round(env.HEALTH_SWEEP_INTERVAL_MINUTES * MINUTE);
  return {
    intervalMs,
    concurrency: env.HEALTH_SWEEP_CONCURRENCY,
    checkTimeoutMs: Math.round(env.HEALTH_CHECK_TIMEOUT_SECONDS * 1000),
    spreadMs: Math.round((intervalMs * env.HEALTH_SWEEP_SPREAD_PERCENT) / 100),
    historyMs: env.HEALTH_HISTORY_DAYS * DAY,
  };
}
