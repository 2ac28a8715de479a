// Reads what the Postfix pipe transport delivered (deliver.sh in helper-scripts.ts): one
// <queue_id>.<pid>.eml/.env pair per delivery; a message to recipients in several domains is
// delivered once per domain and merged back here by queue ID.
import fs from "node:fs";
import path from "node:path";
import type { DeliveredMessage } from "./contract";
import { sleep } from "./processes";

/** Queues a message passes through before the pipe has written it (deferred mail is not waited for). */
const IN_FLIGHT_QUEUES = ["maildrop", "incoming", "active"];

export async function readDelivered(deliveredDir: string, queueDir: string, address?: string, drainTimeoutMs = 5000): Promise<DeliveredMessage[]> {
  await waitForQueueToDrain(queueDir, drainTimeoutMs);
  const envelopes = fs
    .readdirSync(deliveredDir)
    .filter((name) => name.endsWith(".env"))
    .map((name) => ({ name, mtime: fs.statSync(path.join(deliveredDir, name)).mtimeMs }))
    .sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));

  const byQueueId = new Map<string, DeliveredMessage>();
  for (const { name } of envelopes) {
    const queueId = name.slice(0, name.indexOf("."));
    const [sender = "", ...recipients] = fs.readFileSync(path.join(deliveredDir, name), "utf8").split("\n").filter((l, i) => l !== "" || i === 0);
    const existing = byQueueId.get(queueId);
    if (existing !== undefined) {
      existing.to.push(...recipients);
      continue;
    }
    const raw = fs.readFileSync(path.join(deliveredDir, name.replace(/\.env$/, ".eml")), "utf8");
    byQueueId.set(queueId, { from: sender, to: recipients, raw });
  }
  const all = [...byQueueId.values()];
  if (address === undefined) return all;
  const wanted = address.toLowerCase();
  return all.filter((message) => message.to.some((to) => to.toLowerCase() === wanted));
}

async function waitForQueueToDrain(queueDir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (IN_FLIGHT_QUEUES.some((queue) => hasFiles(path.join(queueDir, queue))) && Date.now() < deadline) {
    await sleep(25);
  }
}

function hasFiles(dir: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((entry) => (entry.isDirectory() ? hasFiles(path.join(dir, entry.name)) : true));
}
