// One side of the health-sweep benchmark in its own process, so its wall time and peak RSS are its own
// (the stand-in's Graph and identity endpoints run in the parent). Config JSON on stdin.
//   sweep: runs one sweep of the portal's database (DATABASE_URL, PORTAL_DATA_DIR from the parent's env)
//   floor: the plain script: `count` bare imapflow logins (connect, AUTHENTICATE XOAUTH2, LOGOUT), same concurrency
// stdout: RESULT <json>
import fs from "node:fs";
import { ImapFlow } from "imapflow";
import { closeDb } from "@/lib/db/client";
import { runHealthSweep } from "@/lib/health/run-health-sweep";

type Config =
  | { mode: "sweep"; concurrency: number; checkTimeoutMs: number }
  | { mode: "floor"; concurrency: number; host: string; port: number; caPath: string; token: string; addresses: string[] };

const maxRssMiB = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;

async function floor(config: Extract<Config, { mode: "floor" }>): Promise<{ wallMs: number; latenciesMs: number[]; failures: number }> {
  const ca = fs.readFileSync(config.caPath, "utf8");
  const latenciesMs: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < config.addresses.length) {
      const user = config.addresses[next++]!;
      const t = performance.now();
      const client = new ImapFlow({ host: config.host, port: config.port, secure: true, auth: { user, accessToken: config.token }, tls: { ca }, logger: false, disableAutoIdle: true });
      client.on("error", () => {});
      try {
        await client.connect();
        await client.logout();
        latenciesMs.push(performance.now() - t);
      } catch {
        failures++;
      } finally {
        client.close();
      }
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  return { wallMs: performance.now() - started, latenciesMs, failures };
}

async function main(): Promise<void> {
  const config = JSON.parse(fs.readFileSync(0, "utf8")) as Config;
  if (config.mode === "floor") {
    const result = await floor(config);
    process.stdout.write(`RESULT ${JSON.stringify({ ...result, maxRssMiB: maxRssMiB() })}\n`);
    return;
  }
  const started = performance.now();
  const result = await runHealthSweep({ trigger: "manual", settings: { concurrency: config.concurrency, checkTimeoutMs: config.checkTimeoutMs, spreadMs: 0, historyMs: 30 * 86_400_000 } });
  const wallMs = performance.now() - started;
  await closeDb();
  process.stdout.write(`RESULT ${JSON.stringify({ wallMs, result, maxRssMiB: maxRssMiB() })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark child failed: ${error instanceof Error ? `${error.name}: ${error.message}` : "error"}\n`);
  process.exit(1);
});
