import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { HealthSettings } from "@/lib/health/health-settings";
import { startHealthTestEnv, type HealthTestEnv } from "./test-support/health-test-env";
import { killSweepChildren, spawnSweepChild } from "./test-support/spawn-sweep-child";

// Several instances on one PostgreSQL: separate Node processes (the portal's code, the same database)
// racing for sweeps. The lease `health-sweep` must let exactly one sweep run at a time, and the
// schedulers of all instances together must sweep once per interval, not once per instance.

const settings: HealthSettings = { intervalMs: 3_000, concurrency: 2, checkTimeoutMs: 10_000, spreadMs: 0, historyMs: 30 * 86_400_000 };

let env: HealthTestEnv;
beforeAll(async () => {
  // Each session waits 200 ms at the relay: a sweep of 6 mailboxes, 2 at a time, lasts about a second.
  env = await startHealthTestEnv("postgresql", { mailboxes: 6, imapDelayMs: 200 });
}, 180_000);
afterAll(async () => {
  killSweepChildren();
  await env?.stop();
});

async function sweepsInOrder() {
  return getDb().healthSweep.findMany({ orderBy: { startedAt: "asc" } });
}

function expectNoOverlap(sweeps: Array<{ startedAt: Date; finishedAt: Date | null; holder: string }>): void {
  for (let i = 1; i < sweeps.length; i++) {
    expect(sweeps[i - 1]!.finishedAt, `sweep ${i - 1} finished`).not.toBeNull();
    expect(sweeps[i]!.startedAt.getTime(), `sweep ${i} (${sweeps[i]!.holder}) starts after sweep ${i - 1} (${sweeps[i - 1]!.holder}) ended`).toBeGreaterThanOrEqual(sweeps[i - 1]!.finishedAt!.getTime());
  }
}

describe("one sweep at a time across processes on PostgreSQL", () => {
  it("two processes asked to sweep at the same moment: exactly one does, in every round", async () => {
    const rounds = 5;
    const a = spawnSweepChild({ mode: "race", rounds, settings });
    const b = spawnSweepChild({ mode: "race", rounds, settings });
    for (let round = 0; round < rounds; round++) {
      await Promise.all([a.next("READY"), b.next("READY")]);
      a.send("GO");
      b.send("GO");
      const results = (await Promise.all([a.next("RESULT "), b.next("RESULT ")])).map((line) => JSON.parse(line.slice("RESULT ".length)) as { ran: boolean; reason?: string });
      expect(results.filter((r) => r.ran), `round ${round}: ${JSON.stringify(results)}`).toHaveLength(1);
      expect(results.find((r) => !r.ran)!.reason).toBe("busy");
    }
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    const sweeps = await sweepsInOrder();
    expect(sweeps).toHaveLength(rounds);
    expect(sweeps.every((s) => s.checks === 6 && s.failures === 0)).toBe(true);
    expectNoOverlap(sweeps);
    // Each check of a sweep is recorded once: two processes never checked the same round twice.
    expect(await getDb().healthCheck.count()).toBe(rounds * 6);
  }, 120_000);

  it("two schedulers share one schedule: sweeps never overlap and come once per interval, not once per process", async () => {
    await getDb().healthSweep.deleteMany();
    const runFor = 20_000;
    const a = spawnSweepChild({ mode: "schedule", durationMs: runFor, settings });
    const b = spawnSweepChild({ mode: "schedule", durationMs: runFor, settings });
    await Promise.all([a.next("DONE", runFor + 30_000), b.next("DONE", runFor + 30_000)]);
    const sweeps = await sweepsInOrder();
    expectNoOverlap(sweeps);
    // Alone, each process would sweep every 3–5 s (interval plus jitter): 8 or more together.
    expect(sweeps.length).toBeGreaterThanOrEqual(2);
    expect(sweeps.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < sweeps.length; i++) {
      expect(sweeps[i]!.startedAt.getTime() - sweeps[i - 1]!.startedAt.getTime()).toBeGreaterThanOrEqual(settings.intervalMs - 1_000);
    }
    // A sweep still running when the children shut down at the end of the window stops early ("shutdown"); every other one is complete.
    const finished = sweeps.at(-1)?.stoppedEarly === "shutdown" ? sweeps.slice(0, -1) : sweeps;
    expect(
      finished.every((s) => s.trigger === "schedule" && s.stoppedEarly === null && s.checks === 6),
      JSON.stringify(sweeps.map((s) => ({ trigger: s.trigger, stoppedEarly: s.stoppedEarly, checks: s.checks }))),
    ).toBe(true);
    expect(await getDb().lease.count({ where: { name: "health-sweep" } })).toBe(0);
  }, 120_000);
});
