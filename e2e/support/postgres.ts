import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { appendFile, chown, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { getFreePort } from "./free-port";

// A private PostgreSQL cluster for one test run: initdb in a temp dir, started on a free
// port bound to 127.0.0.1 only, password auth over TCP (so tests see real credentials),
// removed by stop(). No Docker on these machines, so this uses the apt binaries directly.

const execFileAsync = promisify(execFile);

export interface ThrowawayPostgres {
  /** postgresql://postgres:<password>@127.0.0.1:<port>/<database> */
  url: string;
  /** Same server, maintenance database `postgres`: for creating further databases. */
  adminUrl: string;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** Stops the server and deletes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ThrowawayPostgresOptions {
  /** Database created for the caller; default `portal`. */
  database?: string;
  /** Directory holding initdb and pg_ctl; default the newest /usr/lib/postgresql/<version>/bin. */
  binDir?: string;
}

interface Cluster {
  root: string;
  dataDir: string;
  pgCtl: string;
  runAs: string | null;
}

// Clusters still running when the test process exits (a crash, a forgotten stop()) are
// stopped synchronously so they do not outlive the run and hold ports.
const running = new Set<Cluster>();
let exitHookInstalled = false;

export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const binDir = options.binDir ?? findPostgresBinDir();
  const database = options.database ?? "portal";
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`Invalid database name: ${database}`);

  // initdb and postgres refuse to run as root: run them as the `postgres` OS user then.
  const runAs = process.getuid?.() === 0 ? "postgres" : null;
  const owner = runAs ? await lookUpUser(runAs) : null;

  const root = await mkdtemp(path.join(os.tmpdir(), "portal-pg-"));
  const dataDir = path.join(root, "data");
  const cluster: Cluster = { root, dataDir, pgCtl: path.join(binDir, "pg_ctl"), runAs };
  // Registered before initdb: a process exiting mid-setup still removes the directory.
  installExitHook();
  running.add(cluster);
  try {
    if (owner) await chown(root, owner.uid, owner.gid);

    const user = "postgres";
    const password = randomBytes(18).toString("hex");
    const passwordFile = path.join(root, "pwfile");
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (owner) await chown(passwordFile, owner.uid, owner.gid);

    await run(cluster, path.join(binDir, "initdb"), [
      "--pgdata", dataDir,
      "--username", user,
      "--pwfile", passwordFile,
      "--auth-local", "trust",
      "--auth-host", "scram-sha-256",
      "--encoding", "UTF8",
      "--locale", "C",
      "--no-sync",
      "--no-instructions",
    ]);
    await rm(passwordFile);

    // Durability is pointless for a cluster deleted after the run; these make it start and write fast.
    await appendFile(
      path.join(dataDir, "postgresql.conf"),
      [
        "",
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${root}'`,
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "max_connections = 100",
        "",
      ].join("\n"),
    );

    const port = await startOnFreePort(cluster);

    const host = "127.0.0.1";
    const auth = `${user}:${password}@${host}:${port}`;
    const adminUrl = `postgresql://${auth}/postgres`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database}"`);
    } finally {
      await admin.end();
    }

    let stopped = false;
    return {
      url: `postgresql://${auth}/${database}`,
      adminUrl,
      host,
      port,
      database,
      user,
      password,
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopCluster(cluster);
      },
    };
  } catch (error) {
    await stopCluster(cluster);
    throw error;
  }
}

async function startOnFreePort(cluster: Cluster): Promise<number> {
  const logFile = path.join(cluster.root, "server.log");
  // Another process can take the port between getFreePort() and the bind: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await getFreePort();
    try {
      await run(cluster, cluster.pgCtl, ["--pgdata", cluster.dataDir, "--log", logFile, "--wait", "--timeout", "30", "-o", `-p ${port}`, "start"]);
      return port;
    } catch (error) {
      const log = await readFile(logFile, "utf8").catch(() => "");
      if (attempt < 3 && /could not bind|address already in use/i.test(log)) continue;
      throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${log.slice(-2000)}`);
    }
  }
}

async function stopCluster(cluster: Cluster): Promise<void> {
  running.delete(cluster);
  if (existsSync(path.join(cluster.dataDir, "postmaster.pid"))) {
    // immediate: no checkpoint, the data is about to be deleted anyway.
    await run(cluster, cluster.pgCtl, ["--pgdata", cluster.dataDir, "--mode", "immediate", "--wait", "stop"]).catch(() => undefined);
  }
  await rm(cluster.root, { recursive: true, force: true });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const cluster of running) {
      const [command, args] = commandFor(cluster, cluster.pgCtl, ["--pgdata", cluster.dataDir, "--mode", "immediate", "stop"]);
      spawnSync(command, args, { cwd: cluster.root, stdio: "ignore" });
      rmSync(cluster.root, { recursive: true, force: true });
    }
  });
}

function commandFor(cluster: Cluster, bin: string, args: string[]): [string, string[]] {
  return cluster.runAs ? ["runuser", ["-u", cluster.runAs, "--", bin, ...args]] : [bin, args];
}

async function run(cluster: Cluster, bin: string, args: string[]): Promise<void> {
  const [command, fullArgs] = commandFor(cluster, bin, args);
  try {
    // cwd inside the cluster directory: the postgres user may not be allowed into the caller's cwd.
    await execFileAsync(command, fullArgs, { cwd: cluster.root, timeout: 60_000 });
  } catch (error) {
    const detail = error as { stderr?: string; message?: string };
    throw new Error(`${path.basename(bin)} failed: ${(detail.stderr || detail.message || String(error)).trim()}`);
  }
}

async function lookUpUser(name: string): Promise<{ uid: number; gid: number }> {
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      execFileAsync("id", ["-u", name]),
      execFileAsync("id", ["-g", name]),
    ]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  } catch {
    throw new Error(`Running as root needs the "${name}" OS user to own the cluster (apt-get install postgresql creates it).`);
  }
}

function findPostgresBinDir(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((entry) => /^\d+$/.test(entry) && existsSync(path.join(base, entry, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql).");
  }
  return path.join(base, versions[0]!, "bin");
}

