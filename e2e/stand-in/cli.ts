// npm run stand-in       → start the stand-in in the background, wait until ready, print the env block
// npm run stand-in:stop  → stop the instance this state directory started (and only that)
// tsx e2e/stand-in/cli.ts serve|status|env|run -- <command>   (see README.md)
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatEnvBlock, standInEnvironment } from "./env-block";
import { loadFixtures } from "./fixtures";
import { MAIL_MODULE_PATH } from "./mail-contract";
import { startStandIn, type StartStandInOptions } from "./start-stand-in";
import { readStateFile } from "./state-file";

const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");
const CLI_PATH = path.join(import.meta.dirname, "cli.ts");

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "state-dir": { type: "string" },
    "no-mail": { type: "boolean", default: false },
    "identity-port": { type: "string" },
    "graph-port": { type: "string" },
    "outlook-port": { type: "string" },
    "public-host": { type: "string" },
    "token-lifetime": { type: "string" },
    "redirect-uri": { type: "string", multiple: true },
    "timeout": { type: "string" },
  },
});

const command = positionals[0] ?? "start";
const stateDir = path.resolve(flags["state-dir"] ?? path.join(REPO_ROOT, ".stand-in"));
const pidFile = path.join(stateDir, "stand-in.pid");
const stateFile = path.join(stateDir, "state.json");
const logFile = path.join(stateDir, "stand-in.log");

function port(name: "identity-port" | "graph-port" | "outlook-port"): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number`);
  return n;
}

function standInOptions(): StartStandInOptions {
  const lifetime = flags["token-lifetime"] ? Number(flags["token-lifetime"]) : undefined;
  return {
    stateDir,
    mail: flags["no-mail"] ? false : "auto",
    ports: { ...(port("identity-port") !== undefined ? { identity: port("identity-port")! } : {}), ...(port("graph-port") !== undefined ? { graph: port("graph-port")! } : {}), ...(port("outlook-port") !== undefined ? { outlook: port("outlook-port")! } : {}) },
    ...(flags["public-host"] ? { publicHost: flags["public-host"] } : {}),
    ...(lifetime ? { settings: { accessTokenLifetimeSeconds: lifetime } } : {}),
    redirectUris: (flags["redirect-uri"] ?? []).map((spec) => {
      const eq = spec.indexOf("=");
      if (eq < 0) throw new Error("--redirect-uri takes CLIENT_ID=URI");
      return { clientId: spec.slice(0, eq), uri: spec.slice(eq + 1) };
    }),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  };
}

/** The pid in our pid file, if that process is alive and is our `cli.ts serve` for this state dir. */
function ourRunningPid(): number | undefined {
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    if (!cmdline.some((a) => a.endsWith("cli.ts")) || !cmdline.includes("serve")) return undefined;
    const dirArg = cmdline[cmdline.indexOf("--state-dir") + 1];
    if (cmdline.includes("--state-dir") && path.resolve(dirArg ?? "") !== stateDir) return undefined;
  } catch {
    return undefined;
  }
  return pid;
}

function printEnv(): boolean {
  const state = readStateFile(stateFile);
  if (!state) return false;
  console.log(formatEnvBlock(state, stateFile, loadFixtures(state.paths.fixtures)));
  return true;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function start(): Promise<number> {
  const running = ourRunningPid();
  if (running) {
    console.log(`# already running (pid ${running})`);
    printEnv();
    return 0;
  }
  fs.mkdirSync(stateDir, { recursive: true });
  fs.rmSync(stateFile, { force: true });
  const out = fs.openSync(logFile, "w");
  const args = [...process.execArgv, CLI_PATH, "serve", "--state-dir", stateDir, ...process.argv.slice(3).filter((a) => a !== "start")];
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", out, out], cwd: REPO_ROOT });
  let exited: number | null = null;
  child.on("exit", (code) => (exited = code ?? 1));
  const deadline = Date.now() + Number(flags.timeout ?? 30) * 1000;
  while (Date.now() < deadline) {
    const state = readStateFile(stateFile);
    if (state && state.pid === child.pid) {
      child.unref();
      console.log(formatEnvBlock(state, stateFile, loadFixtures(state.paths.fixtures)));
      return 0;
    }
    if (exited !== null) break;
    await sleep(100);
  }
  console.error(`stand-in did not become ready; last lines of ${logFile}:`);
  console.error(fs.readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n"));
  if (exited === null && child.pid) process.kill(child.pid, "SIGTERM");
  return 1;
}

async function serve(): Promise<number> {
  const standIn = await startStandIn(standInOptions());
  fs.writeFileSync(pidFile, `${process.pid}\n`);
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${new Date().toISOString()} ${signal}: stopping`);
    await standIn.stop().catch((e: unknown) => console.error(e));
    fs.rmSync(pidFile, { force: true });
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  return await new Promise<number>(() => {});
}

async function stop(): Promise<number> {
  const pid = ourRunningPid();
  if (!pid) {
    console.log(`no stand-in running from ${stateDir}`);
    fs.rmSync(pidFile, { force: true });
    return 0;
  }
  process.kill(pid, "SIGTERM");
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 150 && alive(); i++) await sleep(100);
  if (alive()) {
    console.error(`pid ${pid} did not stop in 15 s; sending SIGKILL`);
    process.kill(pid, "SIGKILL");
    // The mail side knows how to stop daemons it left in its state directory.
    if (fs.existsSync(MAIL_MODULE_PATH)) {
      const mod: unknown = await import(MAIL_MODULE_PATH);
      const stopLeftovers = (mod as { stopMailServersInStateDir?: unknown }).stopMailServersInStateDir;
      if (typeof stopLeftovers === "function") await (stopLeftovers as (dir: string) => Promise<void>)(path.join(stateDir, "mail"));
    }
  }
  fs.rmSync(pidFile, { force: true });
  fs.rmSync(stateFile, { force: true });
  console.log(`stopped stand-in pid ${pid}`);
  return 0;
}

async function run(): Promise<number> {
  const dash = process.argv.indexOf("--");
  const cmd = dash >= 0 ? process.argv.slice(dash + 1) : [];
  if (cmd.length === 0) throw new Error("usage: cli.ts run [options] -- <command> [args...]");
  const standIn = await startStandIn({ ...standInOptions(), log: () => {} });
  const state = readStateFile(standIn.paths.stateFile)!;
  const code = await new Promise<number>((resolve) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: "inherit", env: { ...process.env, ...standInEnvironment(state, standIn.paths.stateFile) } });
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  await standIn.stop();
  return code;
}

const commands: Record<string, () => Promise<number>> = {
  start,
  serve,
  stop,
  run,
  status: async () => {
    const pid = ourRunningPid();
    console.log(pid ? `running, pid ${pid}` : "not running");
    return pid ? 0 : 3;
  },
  env: async () => (ourRunningPid() && printEnv() ? 0 : 3),
};

const handler = commands[command];
if (!handler) {
  console.error(`unknown command ${command}; use start | stop | status | env | serve | run -- <command>`);
  process.exit(2);
}
handler().then(
  (code) => {
    if (command !== "serve") process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
