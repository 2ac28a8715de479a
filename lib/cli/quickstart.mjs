// npm run quickstart: install what is missing, build when sources changed, then start the portal.
// Plain Node with no dependencies, because it runs before `npm ci` has installed anything.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";

function run(command, args) {
  console.log(`\n> ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`\nQuick start stopped: "${command} ${args.join(" ")}" failed (exit ${result.status}). Fix the error above and run npm run quickstart again.`);
    process.exit(result.status ?? 1);
  }
}

function mtime(p) {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

function newestUnder(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated" || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(full) : mtime(full));
  }
  return newest;
}

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 18)) {
  console.error(`Node.js ${process.versions.node} is too old: install Node.js 20.18 or newer.`);
  process.exit(1);
}

if (mtime("node_modules/.package-lock.json") < mtime("package-lock.json")) run("npm", ["install", "--no-audit", "--no-fund"]); // not npm ci: see .ci/run

const built = mtime(".next/BUILD_ID");
const sources = Math.max(
  ...["app", "components", "lib", "public", "prisma"].map(newestUnder),
  ...["next.config.js", "package-lock.json", "postcss.config.mjs", "tsconfig.json"].map(mtime),
);
if (built < sources) run("npm", ["run", "build"]);

console.log("\n> npm start");
const child = spawn("npm", ["start"], { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
