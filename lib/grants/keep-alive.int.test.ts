// Keep-alive (issue #5 item 5) against the stand-in: an idle delegated grant is refreshed, a fresh one left
// alone, stopped or backing-off grants skipped, concurrent sweeps refresh each grant once, and the job
// started by startKeepAliveJob does the same on its interval.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { refreshIdleGrants, startKeepAliveJob } from "@/lib/grants/keep-alive";
import { connectDelegated, createMailbox, refreshCount, startGrantTestEnv, testPolicy, type GrantTestEnv } from "@/lib/grants/test-support/grant-fixture";

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

describe("keep-alive on sqlite", () => {
  let env: GrantTestEnv;
  beforeAll(async () => {
    env = await startGrantTestEnv("sqlite");
  }, 120_000);
  afterAll(async () => env?.stop());
  beforeEach(async () => {
    await env.standIn.control.reset();
    // Every grant from earlier tests counts as fresh, so each test sees only its own idle ones.
    await getDb().grant.updateMany({ data: { refreshTokenIssuedAt: new Date(), lastRefreshAt: new Date() } });
  });

  async function grant(idleHours: number | null): Promise<string> {
    const mailboxId = await createMailbox(env);
    const { grantId } = await connectDelegated(env, mailboxId);
    if (idleHours !== null) await getDb().grant.update({ where: { id: grantId }, data: { consentedAt: hoursAgo(idleHours), refreshTokenIssuedAt: hoursAgo(idleHours), lastRefreshAt: null } });
    return grantId;
  }

  it("refreshes a grant idle for 25 h and leaves a fresh one alone", async () => {
    const idle = await grant(25);
    const fresh = await grant(null);
    const freshBefore = await getDb().grant.findUniqueOrThrow({ where: { id: fresh } });
    const report = await refreshIdleGrants({ idleHours: 24, policy: testPolicy });
    expect(report).toEqual({ considered: 1, refreshed: 1, skipped: 0, failed: [] });
    expect(await refreshCount(env)).toBe(1);
    const after = await getDb().grant.findUniqueOrThrow({ where: { id: idle } });
    expect(after.lastRefreshAt!.getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(after.refreshTokenIssuedAt!.getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(await getDb().grant.findUniqueOrThrow({ where: { id: fresh } })).toEqual(freshBefore);
    expect(await refreshIdleGrants({ idleHours: 24, policy: testPolicy })).toMatchObject({ considered: 0, refreshed: 0 });
  });

  it("skips stopped grants and grants backing off after failures", async () => {
    const stopped = await grant(30);
    const backingOff = await grant(30);
    await getDb().grant.update({ where: { id: stopped }, data: { state: "needs_consent" } });
    await getDb().grant.update({ where: { id: backingOff }, data: { nextAttemptAt: new Date(Date.now() + 60_000) } });
    expect(await refreshIdleGrants({ idleHours: 24, policy: testPolicy })).toMatchObject({ considered: 0 });
    expect(await refreshCount(env)).toBe(0);
  });

  it("two sweeps at once refresh each idle grant once", async () => {
    const ids = [await grant(48), await grant(48), await grant(48)];
    const [a, b] = await Promise.all([refreshIdleGrants({ idleHours: 24, policy: testPolicy }), refreshIdleGrants({ idleHours: 24, policy: testPolicy })]);
    expect(a.refreshed + b.refreshed).toBe(3);
    expect(a.failed.concat(b.failed)).toEqual([]);
    expect(await refreshCount(env)).toBe(3);
    for (const id of ids) expect((await getDb().grant.findUniqueOrThrow({ where: { id } })).refreshTokenVersion).toBe(1);
  });

  it("a permanent refusal during keep-alive stops the grant like any other refresh", async () => {
    const id = await grant(30);
    await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "refresh_token_revoked" });
    const report = await refreshIdleGrants({ idleHours: 24, policy: testPolicy });
    expect(report.failed).toEqual([{ grantId: id, code: "needs_consent" }]);
    expect((await getDb().grant.findUniqueOrThrow({ where: { id } })).state).toBe("needs_consent");
  });

  it("startKeepAliveJob sweeps on its interval (PORTAL_KEEPALIVE_INTERVAL_MINUTES), prunes long-expired refresh leases, and stops", async () => {
    const id = await grant(30);
    await getDb().lease.create({ data: { name: "refresh:a-deleted-grant", holder: "a process that died", expiresAt: hoursAgo(2) } });
    process.env.PORTAL_KEEPALIVE_INTERVAL_MINUTES = "0.01"; // 600 ms
    resetEnvForTests();
    const job = startKeepAliveJob();
    try {
      const deadline = Date.now() + 15_000;
      const done = async () =>
        (await getDb().grant.findUniqueOrThrow({ where: { id } })).lastRefreshAt !== null && (await getDb().lease.findUnique({ where: { name: "refresh:a-deleted-grant" } })) === null;
      while (Date.now() < deadline && !(await done())) await new Promise((r) => setTimeout(r, 100));
      expect((await getDb().grant.findUniqueOrThrow({ where: { id } })).lastRefreshAt).not.toBeNull();
      expect(startKeepAliveJob()).toBe(job); // once per process
    } finally {
      job.stop();
      delete process.env.PORTAL_KEEPALIVE_INTERVAL_MINUTES;
      resetEnvForTests();
    }
    expect(await refreshCount(env)).toBe(1);
    expect(await getDb().lease.findUnique({ where: { name: "refresh:a-deleted-grant" } })).toBeNull();
  });
});
