import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { benchHealthSweep } from "./health-sweep-bench";
import { benchMailboxList } from "./mailbox-list-bench";
import { benchTokenApi } from "./token-api-bench";

// npm run bench: measures; asserts nothing about speed. Prints a report and writes
// test-results/bench.json. Builds the portal first when it is not built.
// `npm run bench -- health-sweep` (or mailbox-list, token-api) runs only the named sections.

const root = path.resolve(import.meta.dirname, "../..");

async function main(): Promise<void> {
  process.env.LOG_LEVEL = "warn";
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
  if (wanted("mailbox-list")) {
    if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) execSync("npm run build", { cwd: root, stdio: "inherit" });
    console.log("Mailbox list with 10,000 mailboxes …");
    results.mailboxList = await benchMailboxList();
  }
  if (wanted("health-sweep")) {
    console.log("Health sweep of 1,000 mailboxes against the stand-in, and 1,000 bare imapflow logins …");
    results.healthSweep = await benchHealthSweep();
  }
  if (wanted("token-api")) {
    if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) execSync("npm run build", { cwd: root, stdio: "inherit" });
    console.log("Token API: 50 connections against the built portal and a plain Node server; 1,000 requests on one expired grant …");
    results.tokenApi = await benchTokenApi();
  }
  console.log(JSON.stringify(results, null, 2));
  fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
  fs.writeFileSync(path.join(root, "test-results", "bench.json"), JSON.stringify(results, null, 2));
  console.log(`Peak RSS of the benchmark process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
