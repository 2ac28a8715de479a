import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { connectDelegated, createMailbox, expireAccessTokens, refreshCount } from "@/lib/grants/test-support/grant-fixture";
import { makeKey, startTokenApiTestEnv } from "@/lib/api/test-support/token-api-test-env";
import { runBurst, runLoad, type LoadResult } from "./load-generator";
import { peakRssMiB } from "./process-memory";
import { startPortalProcess } from "./portal-process";

// The token API's fast path, measured on the built portal as users run it (one process, one port):
//  - throughput and p50/p99 at 50 keep-alive connections asking for a cached token, next to a plain Node
//    server that decrypts and returns a token of the same size, started in the same run (the ratio is the
//    figure; the goal is ≥ 0.5×);
//  - 1,000 concurrent requests on one expired grant: how many refreshes the stand-in sees (one is right);
//  - the portal's peak RSS.
// A real database (SQLite), the real stand-in, a delegated grant from a real authorization code.

const CONNECTIONS = 50;
const DURATION_MS = Number(process.env.BENCH_TOKEN_API_SECONDS ?? 10) * 1000;
const MAX_REQUESTS = 2_000_000;
const STORM = 1000;
const root = path.resolve(import.meta.dirname, "../..");

async function startPlainServer(tokenLength: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), [path.join(import.meta.dirname, "plain-token-server.ts"), String(tokenLength)], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", (code) => reject(new Error(`plain server exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}/token`,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

export async function benchTokenApi(): Promise<Record<string, unknown>> {
  const env = await startTokenApiTestEnv({ mail: false });
  await env.api.close(); // only the portal process serves here
  try {
    const { key } = await makeKey({ name: "bench", rateLimitPerMinute: "1000000" });
    const address = "adele.vance@contoso.com";
    const cached = await createMailbox(env, { address });
    const { tokens } = await connectDelegated(env, cached);
    const stormMailbox = await createMailbox(env);
    const storm = await connectDelegated(env, stormMailbox);

    const portal = await startPortalProcess({
      PORTAL_DATA_DIR: env.db.dataDir,
      DATABASE_URL: env.db.databaseUrl,
      // Quiet: no background sweeps competing with the measurement.
      HEALTH_SWEEP_INTERVAL_MINUTES: "0",
      PORTAL_KEEPALIVE_INTERVAL_MINUTES: "0",
      NOTIFY_INTERVAL_MINUTES: "0",
    });
    let portalResult: LoadResult;
    let plainResult: LoadResult;
    let stormResult: Record<string, unknown>;
    let memory: ReturnType<typeof peakRssMiB>;
    try {
      const headers = { authorization: `Bearer ${key}` };
      const url = `${portal.url}/api/v1/mailboxes/${address}/token?protocol=imap`;
      const first = await fetch(url, { method: "POST", headers });
      if (first.status !== 200) throw new Error(`The token API answered ${first.status}: ${await first.text()}`);
      await first.arrayBuffer();
      await runLoad({ url, method: "POST", headers, connections: CONNECTIONS, durationMs: 2000, maxRequests: MAX_REQUESTS }); // warm-up (JIT)
      portalResult = await runLoad({ url, method: "POST", headers, connections: CONNECTIONS, durationMs: DURATION_MS, maxRequests: MAX_REQUESTS });

      // 1,000 concurrent requests for a mailbox whose stored token has expired (and is not in the portal's memory).
      await expireAccessTokens(storm.grantId);
      await env.standIn.control.clearRequests();
      const burst = await runBurst({ url: `${portal.url}/api/v1/mailboxes/${stormMailbox}/token?protocol=imap`, method: "POST", headers, count: STORM });
      const issued = new Set(burst.bodies.map((b) => (JSON.parse(b) as { access_token?: string }).access_token));
      stormResult = { requests: STORM, statuses: burst.statuses, ms: burst.ms, distinctTokens: issued.size, refreshesSeenByStandIn: await refreshCount(env) };
      memory = peakRssMiB(portal.child.pid!);
    } finally {
      await portal.stop();
    }

    const plain = await startPlainServer(tokens.accessToken.length);
    try {
      await runLoad({ url: plain.url, connections: CONNECTIONS, durationMs: 2000, maxRequests: MAX_REQUESTS });
      plainResult = await runLoad({ url: plain.url, connections: CONNECTIONS, durationMs: DURATION_MS, maxRequests: MAX_REQUESTS });
    } finally {
      await plain.stop();
    }

    return {
      cpu: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`,
      tokenBytes: tokens.accessToken.length,
      tokenApi: portalResult,
      plainNodeServer: plainResult,
      ratio: Math.round((portalResult.requestsPerSecond / plainResult.requestsPerSecond) * 100) / 100,
      refreshStorm: stormResult,
      portalPeakRssMiB: memory.peakMiB,
      portalRssAfterMiB: memory.currentMiB,
    };
  } finally {
    await env.stop();
  }
}
