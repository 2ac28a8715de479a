// The CLI as a newcomer uses it: start in the background with a pid file and state.json, an env
// block whose NODE_EXTRA_CA_CERTS makes a fresh Node process trust the stand-in, stop that only
// stops what it started, and `run -- <command>`.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { connectStandIn } from "./connect-stand-in";

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, "..", "..");
const TSX = path.join(REPO, "node_modules", ".bin", "tsx");
const CLI = path.join(import.meta.dirname, "cli.ts");
const dirs: string[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "stand-in-cli-"));
  dirs.push(d);
  return d;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(TSX, [CLI, ...args], { cwd: REPO, env: { ...process.env, ...env }, timeout: 60_000 });
    return { stdout, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; code?: number };
    return { stdout: err.stdout ?? "", code: err.code ?? 1 };
  }
}

afterAll(async () => {
  for (const d of dirs) {
    await cli(["stop", "--state-dir", d]);
    fs.rmSync(d, { recursive: true, force: true });
  }
});

describe("cli.ts", () => {
  it("start prints an env block; a fresh node process trusts the CA through NODE_EXTRA_CA_CERTS; stop stops it", async () => {
    const dir = tempDir();
    const started = await cli(["start", "--no-mail", "--state-dir", dir]);
    expect(started.code).toBe(0);
    const env = Object.fromEntries([...started.stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(env.NODE_EXTRA_CA_CERTS).toBe(path.join(dir, "ca-bundle.pem"));
    expect(env.STAND_IN_IDENTITY_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(env.STAND_IN_EWS_URL).toMatch(/\/EWS\/Exchange\.asmx$/);
    const pid = Number(fs.readFileSync(path.join(dir, "stand-in.pid"), "utf8"));

    // No custom agent: plain global fetch in a new process, trusting the CA only via the env block.
    const probe = await run(process.execPath, ["-e", `fetch(process.env.STAND_IN_IDENTITY_URL + "/contoso.com/v2.0/.well-known/openid-configuration").then(r => r.json()).then(j => console.log(j.token_endpoint))`], { env: { ...process.env, ...env } });
    expect(probe.stdout.trim()).toBe(`${env.STAND_IN_IDENTITY_URL}/b3922080-3ce0-4dbb-b906-e7d97973bbe4/oauth2/v2.0/token`);

    const attached = connectStandIn(env.STAND_IN_STATE_FILE!);
    expect((await attached.control.settings()).accessTokenLifetimeSeconds).toBe(3600);

    expect((await cli(["start", "--no-mail", "--state-dir", dir])).stdout).toContain(`already running (pid ${pid})`);
    expect((await cli(["stop", "--state-dir", dir])).stdout).toContain(`stopped stand-in pid ${pid}`);
    expect(() => process.kill(pid, 0)).toThrow();
    expect((await cli(["status", "--state-dir", dir])).code).toBe(3);
  });

  it("stop never signals a process it did not start", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "stand-in.pid"), `${process.pid}\n`);
    expect((await cli(["stop", "--state-dir", dir])).stdout).toContain("no stand-in running");
    expect(() => process.kill(process.pid, 0)).not.toThrow();
  });

  it("run -- <command> gives the command the env block and stops afterwards", async () => {
    const dir = tempDir();
    const script = `fetch(process.env.STAND_IN_CONTROL_URL + "/health").then(r => r.json()).then(j => { console.log("health", j.ok); process.exit(j.ok ? 0 : 1); })`;
    const result = await cli(["run", "--no-mail", "--state-dir", dir, "--", process.execPath, "-e", script]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("health true");
    expect(fs.existsSync(path.join(dir, "state.json"))).toBe(false);
  });
});
