// Starting Dovecot and Postfix as foreground children of this process, waiting until they listen,
// and stopping them together with every process they forked, so nothing outlives stop().
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

export interface Daemon {
  name: string;
  child: ChildProcess;
  /** stdout + stderr of the foreground command, for error messages. */
  output(): string;
  exited(): boolean;
}

export function spawnDaemon(name: string, command: string, args: readonly string[]): Daemon {
  const child = spawn(command, [...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LANG: "C" } });
  let output = "";
  let exited = false;
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-8000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.on("exit", () => {
    exited = true;
  });
  child.on("error", (error) => {
    exited = true;
    output += `\n${error.message}`;
  });
  return { name, child, output: () => output, exited: () => exited };
}

/** Resolves once every port accepts a TCP connection; rejects if the daemon exits first or time runs out. */
export async function waitForPorts(daemon: Daemon, ports: readonly number[], timeoutMs: number, logTail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    for (;;) {
      if (daemon.exited()) throw new Error(`${daemon.name} exited during start-up:\n${daemon.output()}\n${logTail()}`);
      if (await canConnect(port)) break;
      if (Date.now() > deadline) throw new Error(`${daemon.name} did not listen on port ${port} within ${timeoutMs} ms:\n${logTail()}`);
      await sleep(20);
    }
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== null && stat.state !== "Z";
}

export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return "";
  }
}

/** The pid and all its descendants, found through /proc/<pid>/stat. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat === null) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift();
    if (pid === undefined || tree.includes(pid)) continue;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * SIGTERM to the master (Dovecot and Postfix both stop their children on it), then SIGKILL for
 * anything of the tree under root still alive after the grace period. Resolves when the whole
 * tree is gone. root differs from master when a wrapper (postfix-script) runs the master.
 */
export async function stopTree(root: number, master: number = root, graceMs = 5000): Promise<void> {
  const tree = processTree(root).filter(isAlive);
  if (tree.length === 0) return;
  signal(tree.includes(master) ? master : root, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    // Children forked after the snapshot (a login process, a pipe delivery) are picked up too.
    for (const pid of processTree(root)) if (!tree.includes(pid)) tree.push(pid);
    if (!tree.some(isAlive)) return;
    await sleep(25);
  }
  for (const pid of tree) if (isAlive(pid)) signal(pid, "SIGKILL");
  while (tree.some(isAlive)) await sleep(25);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function procStat(pid: number): { state: string; ppid: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const [state, ppid] = rest;
    return state === undefined || ppid === undefined ? null : { state, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return `(no ${file})`;
  }
}
