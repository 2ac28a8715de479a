import { getDb } from "@/lib/db/client";
import { CHECK_LATENCY_BUCKETS, healthMetrics } from "@/lib/health/health-metrics";
import { countByState, listMailboxStates } from "@/lib/health/list-mailbox-states";
import { mailboxHealthStates } from "@/lib/health/mailbox-health-state";
import { histogramSamples, renderPrometheus, type MetricFamily } from "@/lib/health/render-prometheus";

// /api/metrics. Two kinds of figures:
// - counted by this process since it started (checks by protocol and outcome, check latency, sweeps):
//   scrape every instance, as Prometheus expects of counters;
// - read from the shared database (mailboxes by state, latest outcome per protocol, grants, refreshes,
//   credential expiry, last sweep): the same on every instance.
// Refresh outcomes come from the Grant rows: the token engine keeps no counters of its own.

const P = "mailbox_portal_";
const DAY = 86_400_000;

export async function collectHealthMetrics(now: Date = new Date()): Promise<string> {
  const db = getDb();
  const since = new Date(now.getTime() - DAY);
  const [states, latest, grants, refreshedOk, refreshFailed, lastSweep, apps] = await Promise.all([
    listMailboxStates(),
    db.healthStatus.groupBy({ by: ["protocol", "direction", "ok"], _count: { _all: true } }),
    db.grant.groupBy({ by: ["kind", "state"], _count: { _all: true } }),
    db.grant.count({ where: { lastRefreshAt: { gte: since } } }),
    db.grant.count({ where: { lastErrorAt: { gte: since } } }),
    db.healthSweep.findFirst({ where: { finishedAt: { not: null } }, orderBy: { startedAt: "desc" } }),
    db.appRegistration.findMany({ where: { credentialExpiresAt: { not: null } }, select: { id: true, label: true, credentialExpiresAt: true } }),
  ]);
  const registry = healthMetrics();
  const counts = countByState(states);

  const families: MetricFamily[] = [
    {
      name: `${P}health_checks_total`,
      help: "Health checks run by this process since it started, by protocol, direction and outcome (ok, an error class, or why no token could be had).",
      type: "counter",
      samples: [...registry.checks].map(([key, value]) => {
        const [protocol, direction, outcome] = key.split("|") as [string, string, string];
        return { labels: { protocol, direction, outcome }, value };
      }),
    },
    {
      name: `${P}health_check_duration_seconds`,
      help: "Duration of health checks that reached a server (connect, TLS, login, operation), run by this process.",
      type: "histogram",
      samples: [...registry.latency].flatMap(([key, h]) => {
        const [protocol, direction] = key.split("|") as [string, string];
        return histogramSamples(CHECK_LATENCY_BUCKETS, h.buckets, h.sum, { protocol, direction });
      }),
    },
    {
      name: `${P}health_sweeps_total`,
      help: "Sweeps over all connected mailboxes run by this process, by result.",
      type: "counter",
      samples: [
        { labels: { result: "completed" }, value: registry.sweeps.completed },
        { labels: { result: "stopped_early" }, value: registry.sweeps.stoppedEarly },
      ],
    },
    {
      name: `${P}health_sweep_last_finished_timestamp_seconds`,
      help: "When the last sweep (by any instance) finished, Unix time; 0 before the first.",
      type: "gauge",
      samples: [{ value: lastSweep?.finishedAt ? lastSweep.finishedAt.getTime() / 1000 : 0 }],
    },
    {
      name: `${P}health_sweep_last_duration_seconds`,
      help: "How long the last finished sweep took.",
      type: "gauge",
      samples: lastSweep?.finishedAt ? [{ value: (lastSweep.finishedAt.getTime() - lastSweep.startedAt.getTime()) / 1000 }] : [],
    },
    {
      name: `${P}mailboxes`,
      help: "Mailboxes by health state (healthy, degraded: some protocols failing, failing, needs_consent, unchecked, not_connected).",
      type: "gauge",
      samples: mailboxHealthStates.map((state) => ({ labels: { state }, value: counts[state] })),
    },
    {
      name: `${P}protocol_latest_checks`,
      help: "Latest check of each mailbox's protocol use, by protocol, direction and outcome.",
      type: "gauge",
      samples: latest.map((r) => ({ labels: { protocol: r.protocol, direction: r.direction, outcome: r.ok ? "ok" : "failing" }, value: r._count._all })),
    },
    {
      name: `${P}grants`,
      help: "Stored grants by kind (delegated, app_only) and state (active, needs_consent, credential_invalid, app_missing, blocked_by_policy).",
      type: "gauge",
      samples: grants.map((g) => ({ labels: { kind: g.kind, state: g.state }, value: g._count._all })),
    },
    {
      name: `${P}grant_refreshes_last_24h`,
      help: "Grants with a successful token refresh (succeeded) or a failed one (failed) in the last 24 hours, from the grants' last refresh and last error times.",
      type: "gauge",
      samples: [
        { labels: { outcome: "succeeded" }, value: refreshedOk },
        { labels: { outcome: "failed" }, value: refreshFailed },
      ],
    },
    {
      name: `${P}app_credential_expiry_timestamp_seconds`,
      help: "When each app registration's client secret or certificate expires, Unix time (alert when it is less than 30 days away).",
      type: "gauge",
      samples: apps.map((a) => ({ labels: { app_registration_id: a.id, label: a.label }, value: a.credentialExpiresAt!.getTime() / 1000 })),
    },
  ];
  return renderPrometheus(families);
}
