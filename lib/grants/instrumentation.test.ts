// instrumentation.ts starts the keep-alive job on the Node.js runtime only, and never while `next build`
// prerenders (NEXT_PHASE=phase-production-build).
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { register } from "@/instrumentation";

const job = () => (globalThis as { __portalKeepAlive?: { stop(): void } }).__portalKeepAlive;
const saved = { ...process.env };

afterEach(() => {
  job()?.stop();
  for (const key of ["NEXT_RUNTIME", "NEXT_PHASE", "PORTAL_KEEPALIVE_INTERVAL_MINUTES", "HEALTH_SWEEP_INTERVAL_MINUTES"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetEnvForTests();
});

function runtime(values: Record<string, string>): void {
  Object.assign(process.env, { PORTAL_KEEPALIVE_INTERVAL_MINUTES: "60", HEALTH_SWEEP_INTERVAL_MINUTES: "0", ...values });
  resetEnvForTests();
}

describe("instrumentation register()", () => {
  it("starts the keep-alive job on the Node.js runtime", async () => {
    runtime({ NEXT_RUNTIME: "nodejs" });
    delete process.env.NEXT_PHASE;
    await register();
    expect(job()).toBeDefined();
  });

  it("starts nothing during next build", async () => {
    runtime({ NEXT_RUNTIME: "nodejs", NEXT_PHASE: "phase-production-build" });
    await register();
    expect(job()).toBeUndefined();
  });

  it("starts nothing on the edge runtime", async () => {
    runtime({ NEXT_RUNTIME: "edge" });
    await register();
    expect(job()).toBeUndefined();
  });
});
