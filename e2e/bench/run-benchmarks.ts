import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { benchMailboxList } from "./mailbox-list-bench";

// npm run bench: measures; asserts nothing about speed. Prints a report and writes
// test-results/bench.json. Builds the portal first when it is not built.

const root = path.resolve(import.meta.dirname, "../..");

async function main(): Promise<void> {
  process.env.LOG_LEVEL = "warn";
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) execSync("npm run build", { cwd: root, stdio: "inherit" });
  const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
  console.log("Mailbox list with 10,000 mailboxes …");
  results.mailboxList = await benchMailboxList();
  console.log(JSON.stringify(results, null, 2));
  fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
  fs.writeFileSync(path.join(root, "test-results", "bench.json"), JSON.stringify(results, null, 2));
  console.log(`Peak RSS of the benchmark process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
