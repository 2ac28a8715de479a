import fs from "node:fs";

// Peak resident memory (VmHWM) of a process and its descendants, read from /proc (Linux). tsx starts the
// portal as a child of its own launcher, so the tree is what the portal costs.

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

function kib(pid: number, field: "VmHWM" | "VmRSS"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The largest peak RSS in the tree (MiB): the portal's own node process, not its launcher's sum. */
export function peakRssMiB(rootPid: number): { pid: number; peakMiB: number; currentMiB: number } {
  const all: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift()!;
    all.push(pid);
    queue.push(...childrenOf(pid));
  }
  const best = all.map((pid) => ({ pid, peak: kib(pid, "VmHWM"), current: kib(pid, "VmRSS") })).sort((a, b) => b.peak - a.peak)[0]!;
  return { pid: best.pid, peakMiB: Math.round(best.peak / 1024), currentMiB: Math.round(best.current / 1024) };
}
