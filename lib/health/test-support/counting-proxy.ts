import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

// A TCP relay in front of one of the stand-in's servers (Dovecot's IMAP), for watching what the server
// receives: how many sessions are open at once (peak), when each began and ended, and an optional delay
// before the upstream connection is made (so a session lasts long enough for overlaps to be unmistakable).
// It relays bytes untouched: TLS runs end to end between the portal and Dovecot. It runs in its own
// process: in the test's process, whose event loop the sweep keeps busy, a connection's end could be
// noticed only after the next one had been accepted.

export interface ProxyStats {
  active: number;
  peak: number;
  /** [accepted, ended] in epoch milliseconds (performance.timeOrigin + performance.now()); ended null while open. */
  sessions: Array<[number, number | null]>;
}

export interface CountingProxy {
  host: string;
  port: number;
  stats(): Promise<ProxyStats>;
  /** Clears the sessions; the peak restarts from the sessions open now. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: { host: string; port: number }, options: { delayMs?: number } = {}): Promise<CountingProxy> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "counting-proxy-process.ts"), JSON.stringify({ ...upstream, delayMs: options.delayMs ?? 0 })], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const next = await lines.next();
    if (next.done) throw new Error("the counting proxy exited");
    return String(next.value);
  };
  // One command at a time: answers come back in order.
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (command: string): Promise<string> => {
    const answer = queue.then(() => {
      child.stdin!.write(`${command}\n`);
      return nextLine();
    });
    queue = answer.catch(() => undefined);
    return answer;
  };
  const first = await nextLine();
  const port = Number(/^LISTENING (\d+)$/.exec(first)?.[1]);
  if (!port) throw new Error(`counting proxy: unexpected "${first}"`);
  return {
    host: "127.0.0.1",
    port,
    stats: async () => JSON.parse(await ask("STATS")) as ProxyStats,
    reset: async () => void (await ask("RESET")),
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill("SIGKILL"), 2000).unref();
      }),
  };
}
