// A second portal process for the multi-process tests, run with tsx. Same database and data directory as
// the parent (DATABASE_URL, PORTAL_DATA_DIR inherited). It never prints a token: only SHA-256 prefixes.
//   argv[2] = JSON { mailboxId, use, calls, policy?, pauseAt?, waitForGo? }
//   stdout:  READY → (GO on stdin when waitForGo) → STARTED → [PAUSED <point>] → RESULT <json>
import { createHash } from "node:crypto";
import readline from "node:readline";
import { closeDb, getDb } from "@/lib/db/client";
import type { ProtocolUse } from "@/lib/microsoft/protocols";
import { getAccessTokenForMailbox, GrantUnavailableError } from "@/lib/grants/get-access-token";
import { setRefreshTestHooks, type RefreshTestHooks } from "@/lib/grants/refresh-test-hooks";
import type { TokenPolicy } from "@/lib/grants/token-policy";
import { flushLastUsedWrites } from "@/lib/grants/touch-last-used";

interface ChildConfig {
  mailboxId: string;
  use: ProtocolUse;
  calls: number;
  policy?: Partial<TokenPolicy>;
  pauseAt?: keyof RefreshTestHooks;
  waitForGo?: boolean;
}

const config = JSON.parse(process.argv[2] ?? "{}") as ChildConfig;
const say = (line: string) => process.stdout.write(`${line}\n`);
const digest = (token: string) => createHash("sha256").update(token).digest("hex").slice(0, 16);

async function main(): Promise<void> {
  if (config.pauseAt) {
    const point = config.pauseAt;
    const hooks: RefreshTestHooks = {
      [point]: async () => {
        say(`PAUSED ${point}`);
        // Stay here until the parent's SIGKILL; the interval keeps the event loop alive.
        await new Promise<never>(() => setInterval(() => undefined, 1000));
      },
    };
    setRefreshTestHooks(hooks);
  }
  await getDb().grant.count(); // connect before the race starts
  say("READY");
  if (config.waitForGo) {
    const rl = readline.createInterface({ input: process.stdin });
    await new Promise<void>((resolve) => rl.on("line", (line) => line.trim() === "GO" && resolve()));
    rl.close();
  }
  say("STARTED");
  const settled = await Promise.allSettled(Array.from({ length: config.calls }, () => getAccessTokenForMailbox(config.mailboxId, config.use, { policy: config.policy })));
  const tokens = new Set<string>();
  const failures: string[] = [];
  let fromCache = 0;
  for (const s of settled) {
    if (s.status === "fulfilled") {
      tokens.add(digest(s.value.accessToken));
      if (s.value.fromCache) fromCache++;
    } else failures.push(s.reason instanceof GrantUnavailableError ? s.reason.code : String((s.reason as Error)?.name));
  }
  say(`RESULT ${JSON.stringify({ ok: config.calls - failures.length, failures, tokens: [...tokens], fromCache })}`);
  await flushLastUsedWrites();
  await closeDb();
}

main().catch((error: unknown) => {
  process.stderr.write(`child failed: ${error instanceof Error ? error.name : "error"}\n`);
  process.exit(1);
});
