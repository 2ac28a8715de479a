import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

// Starts sweep-child.ts as a separate Node process and follows its stdout line by line.

const root = path.resolve(import.meta.dirname, "../../..");
const running = new Set<ChildProcess>();

export interface SweepChild {
  next(prefix: string, timeoutMs?: number): Promise<string>;
  send(line: string): void;
  exited: Promise<number | null>;
  stderr(): string;
}

export function killSweepChildren(): void {
  for (const child of running) child.kill("SIGKILL");
}

export function spawnSweepChild(config: Record<string, unknown>): SweepChild {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "lib/health/test-support/sweep-child.ts"), JSON.stringify(config)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "warn" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.add(child);
  child.on("exit", () => running.delete(child));
  const lines: string[] = [];
  let waiter: (() => void) | null = null;
  let buffer = "";
  let errors = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      lines.push(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      waiter?.();
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => (errors += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    /** The next stdout line starting with prefix (lines before it are dropped). */
    async next(prefix, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = lines.findIndex((l) => l.startsWith(prefix));
        if (i >= 0) return lines.splice(0, i + 1)[i]!;
        if (Date.now() > deadline) throw new Error(`no "${prefix}" from the sweep child within ${timeoutMs} ms; stderr: ${errors.slice(-2000)}`);
        await Promise.race([new Promise<void>((r) => (waiter = r)), new Promise((r) => setTimeout(r, 200)), exited]);
      }
    },
    send: (line) => child.stdin!.write(`${line}\n`),
    exited,
    stderr: () => errors,
  };
}
