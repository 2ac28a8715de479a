// Issue #5 item 5: "no crash at any point loses the newest usable token", proven by killing a real portal
// process (SIGKILL, no cleanup) in the middle of a refresh, 20 times in a row, and checking every time that
// the grant still refreshes against the stand-in (default behaviour, like Microsoft: a rotated-away refresh
// token stays valid, reference §5). The child stops at a named point through the refresh test hooks, or is
// killed after a random delay while its refresh runs:
//   afterTokenResponse  Microsoft answered with a new refresh token; nothing written yet
//   insideCommit        inside the transaction, grant row updated, access token not yet written
//   afterCommit         committed; the lease is still held (the next refresh must wait for its TTL)
//   random              a random moment between the start of the child's call and a little after the time a
//                       whole call takes (measured first): before the request, waiting for the answer,
//                       during the commit, before the lease is released, or after it finished
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { getAccessTokenForMailbox } from "@/lib/grants/get-access-token";
import { openRefreshToken } from "@/lib/grants/grant-secrets";
import { connectDelegated, createMailbox, expireAccessTokens, refreshCount, startGrantTestEnv, testPolicy, type GrantTestEnv } from "@/lib/grants/test-support/grant-fixture";
import { killTokenChildren, spawnTokenChild } from "@/lib/grants/test-support/spawn-token-child";
import { providers } from "@/e2e/support/test-database";

const IMAP = { direction: "inbound", protocol: "imap" } as const;
const POINTS = ["afterTokenResponse", "insideCommit", "afterCommit", "random"] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(providers)("killing the process mid-refresh on %s", (provider) => {
  let env: GrantTestEnv;
  beforeAll(async () => {
    env = await startGrantTestEnv(provider);
  }, 120_000);
  afterAll(async () => {
    killTokenChildren();
    await env?.stop();
  });

  it("20 kills in a row: the grant refreshes afterwards every time", { timeout: 300_000 }, async () => {
    const mailboxId = await createMailbox(env);
    const { grantId } = await connectDelegated(env, mailboxId);
    // How long one child's call takes from STARTED to RESULT, for the random kill moments.
    await expireAccessTokens(grantId);
    const probe = spawnTokenChild({ mailboxId, use: IMAP, calls: 1, policy: testPolicy });
    await probe.waitFor("STARTED");
    const probeStart = performance.now();
    await probe.waitFor("RESULT");
    const callMs = performance.now() - probeStart;
    await probe.exited;

    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const point = POINTS[i % POINTS.length]!;
      await expireAccessTokens(grantId);
      const before = await getDb().grant.findUniqueOrThrow({ where: { id: grantId } });
      const requestsAtSpawn = await refreshCount(env);
      const child = spawnTokenChild({ mailboxId, use: IMAP, calls: 1, policy: testPolicy, ...(point === "random" ? {} : { pauseAt: point }) });
      if (point === "random") {
        await child.waitFor("STARTED");
        await sleep(Math.random() * callMs * 1.2);
      } else {
        await child.waitFor(`PAUSED ${point}`);
      }
      child.kill();
      const exit = await child.exited;
      const finished = child.stdout.some((l) => l.startsWith("RESULT"));
      if (!finished) expect(exit.signal).toBe("SIGKILL");

      // What the dead process left behind: the refresh token it started from, or the one it committed.
      const left = await getDb().grant.findUniqueOrThrow({ where: { id: grantId } });
      expect(left.state).toBe("active");
      const committed = left.refreshTokenVersion > before.refreshTokenVersion;
      if (point === "afterTokenResponse" || point === "insideCommit") expect(committed).toBe(false);
      if (point === "afterCommit") expect(committed).toBe(true);
      if (!committed) expect(openRefreshToken(grantId, left.refreshTokenEncrypted!)).toBe(openRefreshToken(grantId, before.refreshTokenEncrypted!));

      // The grant must refresh now, in this process (waiting out a lease the dead child still held).
      await expireAccessTokens(grantId);
      const requestsBefore = await refreshCount(env);
      const token = await getAccessTokenForMailbox(mailboxId, IMAP, { policy: testPolicy });
      expect(token.fromCache).toBe(false);
      expect(await env.standIn.verifyAccessToken(token.accessToken)).not.toBeNull();
      expect(await refreshCount(env)).toBe(requestsBefore + 1);
      const after = await getDb().grant.findUniqueOrThrow({ where: { id: grantId } });
      expect(after).toMatchObject({ state: "active", failureCount: 0, lastError: null });
      expect(after.refreshTokenVersion).toBe(left.refreshTokenVersion + 1);
      const childAsked = requestsBefore > requestsAtSpawn;
      outcomes.push(`${point}:${finished ? "finished" : committed ? "killed-after-commit" : childAsked ? "killed-after-request" : "killed-before-request"}`);
    }
    expect(await getDb().lease.count()).toBe(0);
    console.info(`[crash] ${provider}: one call ${callMs.toFixed(0)} ms; ${outcomes.join(", ")}`);
  });
});
