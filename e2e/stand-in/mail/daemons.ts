// Dovecot and Postfix as children of this process: started in the foreground, ready once their
// ports accept connections, stopped with everything they forked.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import type { MailLayout } from "./layout";
import { commandLine, isAlive, processTree, spawnDaemon, stopTree, tail, waitForPorts, type Daemon } from "./processes";

export interface DaemonPorts {
  imaps: number;
  pop3: number;
  pop3s: number;
  smtp: number;
}

export interface RunningDaemons {
  dovecot: Daemon;
  postfix: Daemon;
}

interface PidsFile {
  dovecot: number;
  postfix: number;
}

const READY_TIMEOUT_MS = 15_000;
const UNSHARE = "/usr/bin/unshare";
const POSTFIX_MASTER = "/usr/lib/postfix/sbin/master";

export async function startDaemons(layout: MailLayout, ports: DaemonPorts): Promise<RunningDaemons> {
  const dovecot = spawnDaemon("Dovecot", "/usr/sbin/dovecot", ["-F", "-c", layout.dovecotConf]);
  const postfixArgs = ["-c", layout.postfixConfigDir, "start-fg"];
  // Postfix's master exits on SIGTERM without waiting for its children. Where init does not reap
  // orphans (containers, this VM), they would stay as zombies; in its own PID namespace the
  // master is PID 1 ("start-fg" then runs "master -i") and the kernel reaps the whole namespace.
  const postfix = pidNamespacesWork()
    ? spawnDaemon("Postfix", UNSHARE, ["--pid", "--fork", "--kill-child", "/usr/sbin/postfix", ...postfixArgs])
    : spawnDaemon("Postfix", "/usr/sbin/postfix", postfixArgs);
  const running = { dovecot, postfix };
  try {
    await Promise.all([
      waitForPorts(dovecot, [ports.imaps, ports.pop3s, ports.pop3], READY_TIMEOUT_MS, () => tail(layout.dovecotLog)),
      waitForPorts(postfix, [ports.smtp], READY_TIMEOUT_MS, () => tail(layout.postfixLog)),
    ]);
  } catch (error) {
    await stopDaemons(running);
    throw error;
  }
  const pids: PidsFile = { dovecot: dovecot.child.pid ?? 0, postfix: postfix.child.pid ?? 0 };
  fs.writeFileSync(layout.pidsFile, JSON.stringify(pids));
  return running;
}

export async function stopDaemons({ dovecot, postfix }: RunningDaemons): Promise<void> {
  // In parallel: Dovecot's master waits about a second for its log process before it exits.
  await Promise.all([
    postfix.child.pid === undefined ? undefined : stopPostfix(postfix.child.pid),
    dovecot.child.pid === undefined ? undefined : stopTree(dovecot.child.pid),
  ]);
}

/** Stops daemons an earlier, crashed process left running for this stateDir. */
export async function stopLeftoverDaemons(layout: MailLayout): Promise<void> {
  let pids: PidsFile;
  try {
    pids = JSON.parse(fs.readFileSync(layout.pidsFile, "utf8")) as PidsFile;
  } catch {
    return;
  }
  if (isAlive(pids.postfix) && commandLine(pids.postfix).includes(layout.postfixConfigDir)) await stopPostfix(pids.postfix);
  if (isAlive(pids.dovecot) && commandLine(pids.dovecot).includes(layout.dovecotConf)) await stopTree(pids.dovecot);
  fs.rmSync(layout.pidsFile, { force: true });
}

async function stopPostfix(root: number): Promise<void> {
  // SIGTERM must reach the master itself (unshare ignores it, postfix-script would just die).
  const master = processTree(root).find((pid) => commandLine(pid).startsWith(POSTFIX_MASTER)) ?? root;
  await stopTree(root, master);
}

let pidNamespaceSupport: boolean | undefined;

function pidNamespacesWork(): boolean {
  pidNamespaceSupport ??=
    fs.existsSync(UNSHARE) && spawnSync(UNSHARE, ["--pid", "--fork", "--kill-child", "/bin/true"], { stdio: "ignore" }).status === 0;
  return pidNamespaceSupport;
}
