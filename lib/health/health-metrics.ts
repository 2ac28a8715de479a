// This process's counters of health checks, for /api/metrics. Prometheus counters live in the process
// that counted them (each instance is scraped on its own; a restart resets them, which Prometheus
// expects). Kept on globalThis: Next compiles instrumentation.ts (the sweep) and the route handlers into
// separate bundles, which must still share one registry.

/** Upper bounds of the check-latency histogram, in seconds (checks take 5–60 ms on a LAN, seconds when a server struggles). */
export const CHECK_LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30] as const;

export interface HistogramState {
  /** Non-cumulative counts per bucket (index i: ≤ CHECK_LATENCY_BUCKETS[i]); the last entry is +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

export interface SweepCounters {
  completed: number;
  stoppedEarly: number;
  lastDurationSeconds: number | null;
}

export interface HealthMetricsRegistry {
  /** key: protocol|direction|outcome → count. Outcome is "ok", an error class or a grant code. */
  checks: Map<string, number>;
  /** key: protocol|direction → latency of checks that reached the server. */
  latency: Map<string, HistogramState>;
  sweeps: SweepCounters;
  startedAt: Date;
}

const store = globalThis as typeof globalThis & { __portalHealthMetrics?: HealthMetricsRegistry };

export function healthMetrics(): HealthMetricsRegistry {
  store.__portalHealthMetrics ??= { checks: new Map(), latency: new Map(), sweeps: { completed: 0, stoppedEarly: 0, lastDurationSeconds: null }, startedAt: new Date() };
  return store.__portalHealthMetrics;
}

/** durationMs is null when no connection was attempted (no token could be had). */
export function observeHealthCheck(protocol: string, direction: string, outcome: string, durationMs: number | null): void {
  const registry = healthMetrics();
  const key = `${protocol}|${direction}|${outcome}`;
  registry.checks.set(key, (registry.checks.get(key) ?? 0) + 1);
  if (durationMs === null) return;
  const hKey = `${protocol}|${direction}`;
  let h = registry.latency.get(hKey);
  if (!h) {
    h = { buckets: new Array<number>(CHECK_LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
    registry.latency.set(hKey, h);
  }
  const seconds = durationMs / 1000;
  const i = CHECK_LATENCY_BUCKETS.findIndex((le) => seconds <= le);
  h.buckets[i === -1 ? CHECK_LATENCY_BUCKETS.length : i]! += 1;
  h.sum += seconds;
  h.count += 1;
}

export function observeSweep(durationMs: number, stoppedEarly: boolean): void {
  const s = healthMetrics().sweeps;
  if (stoppedEarly) s.stoppedEarly += 1;
  else s.completed += 1;
  s.lastDurationSeconds = durationMs / 1000;
}

/** For tests of the exposition: a fresh registry. */
export function resetHealthMetricsForTests(): void {
  store.__portalHealthMetrics = undefined;
}
