import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { getFreePort } from "../support/free-port";

// A built portal started as its own process on a free port, for benchmarks: the same server users run.

export interface PortalProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** Signs in over HTTP as a person would (next-auth credentials flow) and returns the cookie header. */
  signIn(email: string, password: string): Promise<string>;
}

const root = path.resolve(import.meta.dirname, "../..");

export async function startPortalProcess(env: Record<string, string>): Promise<PortalProcess> {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("Build the portal first: npm run build");
  const port = await getFreePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["lib/server/main.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), PORTAL_URL: url, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The portal exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The portal did not start within 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
    async signIn(email, password) {
      const csrf = await fetch(`${url}/api/auth/csrf`);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      const res = await fetch(`${url}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
        body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
      });
      const session = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c?.includes("session-token"));
      if (!session) throw new Error(`Sign-in failed (HTTP ${res.status}).`);
      return session;
    },
  };
}
