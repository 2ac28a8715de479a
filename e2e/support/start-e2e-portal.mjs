// Starts the built portal for the browser tests from an empty data directory (first run) on
// E2E_PORT, writing its log to test-results/e2e-portal.log so the tests can search it for secrets.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = path.join(root, ".e2e-data");
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
const log = fs.createWriteStream(path.join(root, "test-results", "e2e-portal.log"));

const port = process.env.E2E_PORT ?? "3199";
const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["lib/server/main.ts"], {
  cwd: root,
  env: {
    ...process.env,
    NODE_ENV: "production",
    PORT: port,
    HOST: "127.0.0.1",
    PORTAL_URL: `http://localhost:${port}`,
    PORTAL_DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "portal.db")}`,
  },
  stdio: ["ignore", "pipe", "pipe"],
});
child.stdout.on("data", (d) => {
  log.write(d);
  process.stdout.write(d);
});
child.stderr.on("data", (d) => {
  log.write(d);
  process.stderr.write(d);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
