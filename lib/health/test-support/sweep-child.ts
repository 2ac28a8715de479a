// A second (and third) portal process for the lease tests, run with node --import tsx. Same database and
// data directory as the parent (DATABASE_URL, PORTAL_DATA_DIR inherited).
//   argv[2] = JSON { mode: "race", rounds, settings } | { mode: "schedule", durationMs, settings }
//   race:     per round READY, then waits for GO on stdin, runs one sweep, prints RESULT <json>
//   schedule: runs the scheduler for durationMs, prints DONE
import readline from "node:readline";
import { closeDb, getDb } from "@/lib/db/client";
import { startHealthScheduler } from "@/lib/health/health-scheduler";
import type { HealthSettings } from "@/lib/health/health-settings";
import { runHealthSweep } from "@/lib/health/run-health-sweep";

type ChildConfig = { mode: "race"; rounds: number; settings: HealthSettings } | { mode: "schedule"; durationMs: number; settings: HealthSettings };

const config = JSON.parse(process.argv[2] ?? "{}") as ChildConfig;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  await getDb().healthSweep.count(); // connect before any race starts
  if (config.mode === "race") {
    const rl = readline.createInterface({ input: process.stdin });
    const lines = rl[Symbol.asyncIterator]();
    for (let round = 0; round < config.rounds; round++) {
      say("READY");
      for (;;) {
        const next = await lines.next();
        if (next.done) return;
        if (String(next.value).trim() === "GO") break;
      }
      const result = await runHealthSweep({ trigger: "manual", settings: config.settings });
      say(`RESULT ${JSON.stringify(result.ran ? { ran: true, sweepId: result.sweepId } : { ran: false, reason: result.reason })}`);
    }
    rl.close();
  } else {
    const scheduler = startHealthScheduler(config.settings);
    await new Promise((resolve) => setTimeout(resolve, config.durationMs));
    await scheduler?.stop();
    say("DONE");
  }
  await closeDb();
}

main().catch((error: unknown) => {
  process.stderr.write(`sweep child failed: ${error instanceof Error ? `${error.name}: ${error.message}` : "error"}\n`);
  process.exit(1);
});
