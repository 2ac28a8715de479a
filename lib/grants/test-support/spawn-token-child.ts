// Starts lib/grants/test-support/token-child.ts as a real separate process (tsx) and follows its stdout.
import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");

export interface TokenChild {
  pid: number;
  stdout: string[];
  stderr: string[];
  /** Resolves with the first stdout line starting with `prefix` (also one seen earlier). */
  waitFor(prefix: string, timeoutMs?: number): Promise<string>;
  send(line: string): void;
  kill(): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<import("node:child_process").ChildProcess>();

/** SIGKILLs every child this helper started that is still running (test teardown). */
export function killTokenChildren(): void {
  for (const child of running) child.kill("SIGKILL");
}

export function spawnTokenChild(config: Record<string, unknown>): TokenChild {
  // node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a grandchild, which a SIGKILL
  // to the CLI would leave running.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "lib/grants/test-support/token-child.ts"), JSON.stringify(config)], {
    cwd: root,
    env: process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.add(child);
  child.on("exit", () => running.delete(child));
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<{ prefix: string; resolve: (line: string) => void }> = [];
  let buffer = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      stdout.push(line);
      for (const w of [...waiters]) {
        if (line.startsWith(w.prefix)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    pid: child.pid!,
    stdout,
    stderr,
    waitFor(prefix, timeoutMs = 30_000) {
      const seen = stdout.find((l) => l.startsWith(prefix));
      if (seen) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child ${child.pid} did not print ${prefix} within ${timeoutMs} ms; stdout: ${stdout.join(" | ")}; stderr: ${stderr.join("")}`)), timeoutMs);
        const waiter = {
          prefix,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
        void exited.then(() => {
          if (waiters.includes(waiter)) {
            clearTimeout(timer);
            reject(new Error(`child ${child.pid} exited before printing ${prefix}; stderr: ${stderr.join("")}`));
          }
        });
      });
    },
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    kill() {
      child.kill("SIGKILL");
    },
    exited,
  };
}
