// Issue #5 item 5: at most one refresh per grant in flight across processes. Two separate portal processes
// (real child processes on the same database) each make 100 concurrent token requests for one grant whose
// access token has expired: the stand-in sees exactly one refresh and every caller gets the same token.
// PostgreSQL is the multi-instance database; SQLite (several processes on one file) is checked too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { getAccessTokenForMailbox } from "@/lib/grants/get-access-token";
import { connectDelegated, createMailbox, expireAccessTokens, refreshCount, startGrantTestEnv, testPolicy, type GrantTestEnv } from "@/lib/grants/test-support/grant-fixture";
import { killTokenChildren, spawnTokenChild } from "@/lib/grants/test-support/spawn-token-child";
import { providers } from "@/e2e/support/test-database";

const IMAP = { direction: "inbound", protocol: "imap" } as const;

interface ChildResult {
  ok: number;
  failures: string[];
  tokens: string[];
  fromCache: number;
}

describe.each(providers)("two processes on %s", (provider) => {
  let env: GrantTestEnv;
  beforeAll(async () => {
    env = await startGrantTestEnv(provider);
  }, 120_000);
  afterAll(async () => {
    killTokenChildren();
    await env?.stop();
  });

  it("2 × 100 concurrent calls on an expired grant: exactly one refresh, one token", { timeout: 120_000 }, async () => {
    const mailboxId = await createMailbox(env);
    const { grantId } = await connectDelegated(env, mailboxId);
    await expireAccessTokens(grantId);
    await env.standIn.control.clearRequests();

    const children = [0, 1].map(() => spawnTokenChild({ mailboxId, use: IMAP, calls: 100, policy: testPolicy, waitForGo: true }));
    await Promise.all(children.map((c) => c.waitFor("READY", 60_000)));
    const started = performance.now();
    for (const c of children) c.send("GO");
    const lines = await Promise.all(children.map((c) => c.waitFor("RESULT", 60_000)));
    const elapsed = performance.now() - started;
    await Promise.all(children.map((c) => c.exited));
    const results = lines.map((l) => JSON.parse(l.slice("RESULT ".length)) as ChildResult);

    for (const r of results) {
      expect(r.failures).toEqual([]);
      expect(r.ok).toBe(100);
      expect(r.tokens).toHaveLength(1);
    }
    expect(results[0]!.tokens[0]).toBe(results[1]!.tokens[0]);
    expect(await refreshCount(env)).toBe(1);
    // One of the two processes refreshed (its 100 callers shared the flight); the other read the stored result.
    expect(results.map((r) => r.fromCache).sort((a, b) => a - b)).toEqual([0, 100]);
    expect(await getDb().lease.count()).toBe(0);

    // The parent, a third process, now gets the same token from storage.
    const mine = await getAccessTokenForMailbox(mailboxId, IMAP, { policy: testPolicy });
    expect(mine.fromCache).toBe(true);
    console.info(`[timing] ${provider}: 2 processes × 100 concurrent calls, one refresh: ${elapsed.toFixed(0)} ms from GO to both results`);
  });
});
