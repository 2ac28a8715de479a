import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { collectHealthMetrics } from "@/lib/health/collect-health-metrics";
import { getHealthOverview } from "@/lib/health/get-health-overview";
import { getMailboxHealthReport } from "@/lib/health/get-mailbox-health-report";
import type { HealthSettings } from "@/lib/health/health-settings";
import { listMailboxStates } from "@/lib/health/list-mailbox-states";
import { runHealthSweep } from "@/lib/health/run-health-sweep";
import { fixtureApps } from "@/e2e/support/stand-in-cloud";
import { parsePrometheusText } from "./test-support/parse-prometheus-text";
import { startHealthTestEnv, type HealthTestEnv } from "./test-support/health-test-env";
import { GET as getMailboxHealth } from "@/app/api/health/mailboxes/route";
import { GET as getMetrics } from "@/app/api/metrics/route";

// Sweeps against the real stand-in (Dovecot behind a counting relay that delays each session by 150 ms,
// so overlapping sessions cannot be missed), 24 app-only mailboxes connected through the real domain.

const MAILBOXES = 24;
const base: HealthSettings = { intervalMs: 15 * 60_000, concurrency: 4, checkTimeoutMs: 10_000, spreadMs: 0, historyMs: 30 * 86_400_000 };

let env: HealthTestEnv;
beforeAll(async () => {
  env = await startHealthTestEnv("sqlite", { mailboxes: MAILBOXES, imapDelayMs: 150 });
}, 180_000);
afterAll(async () => {
  await env?.stop();
});
beforeEach(async () => env.imapProxy.reset());

describe("health sweep against the stand-in", () => {
  it("checks every connected mailbox with at most `concurrency` IMAP sessions open at Dovecot at once", async () => {
    const result = await runHealthSweep({ trigger: "manual", settings: base });
    expect(result).toMatchObject({ ran: true, mailboxes: MAILBOXES, checks: MAILBOXES, failures: 0, stoppedEarly: null });
    const seen = await env.imapProxy.stats();
    expect(seen.sessions).toHaveLength(MAILBOXES);
    // Bounded, and actually reached: 24 sessions of ≥150 ms through 4 slots overlap all the time.
    expect(seen.peak).toBe(4);
    const rows = await getDb().healthCheck.findMany({ where: { trigger: "sweep" } });
    expect(rows).toHaveLength(MAILBOXES);
    expect(rows.every((r) => r.ok && r.protocol === "imap" && r.durationMs >= 150)).toBe(true);
    expect(await getDb().healthStatus.count({ where: { ok: true } })).toBe(MAILBOXES);
    const sweep = await getDb().healthSweep.findFirstOrThrow({ where: { id: result.ran ? result.sweepId : "" } });
    expect(sweep).toMatchObject({ trigger: "manual", mailboxes: MAILBOXES, checks: MAILBOXES, failures: 0 });
    expect(sweep.finishedAt).not.toBeNull();

    await env.imapProxy.reset();
    await runHealthSweep({ trigger: "manual", settings: { ...base, concurrency: 1 } });
    expect((await env.imapProxy.stats()).peak).toBe(1);
  });

  it("spreads the start times over the spread window, as the server sees them", async () => {
    const step = 40;
    const t0 = performance.timeOrigin + performance.now();
    await runHealthSweep({ trigger: "manual", settings: { ...base, concurrency: MAILBOXES, spreadMs: step * MAILBOXES } });
    const offsets = (await env.imapProxy.stats()).sessions.map(([accepted]) => accepted - t0).sort((a, b) => a - b);
    expect(offsets).toHaveLength(MAILBOXES);
    offsets.forEach((t, k) => expect(t).toBeGreaterThanOrEqual(k * step));
    expect(offsets.at(-1)! - offsets[0]!).toBeGreaterThanOrEqual((MAILBOXES - 1) * step * 0.9);
  });

  it("a second sweep while one runs is refused by the lease, and the schedule skips a sweep that is not due", async () => {
    const first = runHealthSweep({ trigger: "manual", settings: base });
    await new Promise((r) => setTimeout(r, 300));
    expect(await runHealthSweep({ trigger: "schedule", settings: base })).toEqual({ ran: false, reason: "busy" });
    expect((await first).ran).toBe(true);
    expect(await runHealthSweep({ trigger: "schedule", settings: base, minGapMs: 60_000 })).toEqual({ ran: false, reason: "not_due" });
    expect(await getDb().lease.count({ where: { name: "health-sweep" } })).toBe(0);
  });

  it("a mailbox whose IMAP is disabled at Exchange fails with its explanation; the dashboard puts it first and says who fixes it", async () => {
    const broken = env.addresses[5]!;
    await env.standIn.control.updateMailbox(broken, { switches: { imapDisabled: true } });
    try {
      await runHealthSweep({ trigger: "schedule", settings: base });
      const states = await listMailboxStates();
      const row = states.find((s) => s.address === broken)!;
      expect(row.state).toBe("failing");
      expect(row.uses[0]).toMatchObject({ protocol: "imap", ok: false, errorClass: "protocol_disabled" });
      expect(states.filter((s) => s.state === "healthy")).toHaveLength(MAILBOXES - 1);
      const since = row.failingSince!;

      const overview = await getHealthOverview();
      expect(overview.counts).toMatchObject({ failing: 1, healthy: MAILBOXES - 1 });
      const first = overview.problems[0]!;
      expect(first.address).toBe(broken);
      expect(first.failingUses[0]!.explanation!.title).toBeTruthy();
      expect(first.failingUses[0]!.explanation!.fix).toMatch(/-ImapEnabled \$true/);
      expect(first.failingUses[0]!.explanation!.actor).toBe("admin");

      // Still failing at the next sweep: the run of failures keeps its start.
      await runHealthSweep({ trigger: "schedule", settings: base });
      expect((await listMailboxStates({ ids: [row.id] }))[0]!.failingSince).toEqual(since);
    } finally {
      await env.standIn.control.updateMailbox(broken, { switches: { imapDisabled: false } });
    }
    await runHealthSweep({ trigger: "schedule", settings: base });
    const healed = await getDb().healthStatus.findFirstOrThrow({ where: { mailbox: { address: broken } } });
    expect(healed).toMatchObject({ ok: true, failingSince: null });
  });

  it("the JSON report and the metrics reflect the sweeps and hold no secrets", async () => {
    const report = await getMailboxHealthReport();
    expect(report.status).toBe("ok");
    expect(report.counts.healthy).toBe(MAILBOXES);
    expect(report.mailboxes[0]!.uptime.last24h.ratio).toBeGreaterThan(0.5);
    expect(report.mailboxes.find((m) => m.address === env.addresses[5])!.uptime.last24h.ratio).toBeLessThan(1);

    process.env.METRICS_TOKEN = "test-metrics-token-0123456789";
    resetEnvForTests();
    try {
      const text = await collectHealthMetrics();
      const families = parsePrometheusText(text);
      const checks = families.get("mailbox_portal_health_checks_total")!.samples;
      const imapOk = checks.find((s) => s.labels.protocol === "imap" && s.labels.outcome === "ok")!;
      expect(imapOk.value).toBeGreaterThanOrEqual(MAILBOXES * 5);
      expect(checks.find((s) => s.labels.outcome === "protocol_disabled")!.value).toBe(2);
      const histogram = families.get("mailbox_portal_health_check_duration_seconds")!.samples;
      const count = histogram.find((s) => s.name.endsWith("_count"))!.value;
      expect(count).toBe(checks.reduce((a, s) => a + s.value, 0));
      expect(histogram.find((s) => s.labels.le === "0.1")!.value).toBe(0); // every session waited 150 ms at the relay
      expect(families.get("mailbox_portal_mailboxes")!.samples.find((s) => s.labels.state === "healthy")!.value).toBe(MAILBOXES);
      expect(families.get("mailbox_portal_grants")!.samples).toEqual([{ name: "mailbox_portal_grants", labels: { kind: "app_only", state: "active" }, value: MAILBOXES }]);
      for (const output of [text, JSON.stringify(report)]) {
        expect(output).not.toContain(fixtureApps.daemon.secret);
        expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
      }

      const ask = (authorization?: string) => getMetrics(new Request("http://portal/api/metrics", { headers: authorization ? { authorization } : {} }));
      const ok = await ask("Bearer test-metrics-token-0123456789");
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      parsePrometheusText(await ok.text());
      for (const refused of [await ask(), await ask("Bearer test-metrics-token-012345678"), await ask("Basic dGVzdA==")]) {
        expect(refused.status).toBe(401);
        expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(await refused.text()).not.toContain("mailbox_portal_");
      }

      // The JSON report for a monitoring system holding the same token (no session involved).
      const json = await getMailboxHealth(new Request("http://portal/api/health/mailboxes", { headers: { authorization: "Bearer test-metrics-token-0123456789" } }));
      expect(json.status).toBe(200);
      expect(((await json.json()) as { counts: { healthy: number } }).counts.healthy).toBe(MAILBOXES);
      const wrong = await getMailboxHealth(new Request("http://portal/api/health/mailboxes", { headers: { authorization: "Bearer test-metrics-token-0123456780" } }));
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).not.toContain("@contoso.com");
    } finally {
      delete process.env.METRICS_TOKEN;
      resetEnvForTests();
    }
    const off = await getMetrics(new Request("http://portal/api/metrics", { headers: { authorization: "Bearer test-metrics-token-0123456789" } }));
    expect(off.status).toBe(404);
    expect(await off.text()).toMatch(/set METRICS_TOKEN/);
  });
});
