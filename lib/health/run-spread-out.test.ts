import { describe, expect, it } from "vitest";
import { runSpreadOut } from "@/lib/health/run-spread-out";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("runSpreadOut", () => {
  it("never runs more than `concurrency` tasks at once, and runs every item once", async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const report = await runSpreadOut(
      Array.from({ length: 40 }, (_, i) => i),
      async (item) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(2 + (item % 3));
        seen.push(item);
        running--;
      },
      { concurrency: 5, spreadMs: 0 },
    );
    expect(peak).toBe(5);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(report).toEqual({ started: 40, stoppedEarly: false });
  });

  it("starts item i no earlier than i × spread / n after the start", async () => {
    const t0 = performance.now();
    const startedAt: number[] = [];
    await runSpreadOut([0, 1, 2, 3, 4], async (i) => void (startedAt[i] = performance.now() - t0), { concurrency: 8, spreadMs: 250 });
    startedAt.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(i * 50));
  });

  it("stops taking items when the signal aborts, and says so", async () => {
    const controller = new AbortController();
    const done: number[] = [];
    const report = await runSpreadOut(
      Array.from({ length: 10 }, (_, i) => i),
      async (i) => {
        done.push(i);
        if (i === 2) controller.abort();
      },
      { concurrency: 1, spreadMs: 1000, signal: controller.signal },
    );
    expect(done).toEqual([0, 1, 2]);
    expect(report).toEqual({ started: 3, stoppedEarly: true });
  });

  it("handles no items", async () => {
    expect(await runSpreadOut([], async () => undefined, { concurrency: 8, spreadMs: 1000 })).toEqual({ started: 0, stoppedEarly: false });
  });
});
