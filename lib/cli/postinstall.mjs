// Runs after `npm install` / `npm ci`: generates the Prisma clients (git-ignored), so a fresh
// clone works without further steps. Plain Node ESM because it runs before anything is built;
// the generation itself is lib/cli/db-generate.ts, run through tsx (a runtime dependency).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const script = path.join(root, "lib", "cli", "db-generate.ts");

// Container builds often install dependencies before copying the sources: nothing to generate yet.
if (!existsSync(path.join(root, "prisma", "schema.prisma")) || !existsSync(script)) {
  console.log("postinstall: prisma/schema.prisma not present yet; run `npm run db:generate` once the sources are in place.");
  process.exit(0);
}

const result = spawnSync(process.execPath, ["--import", "tsx", script], { cwd: root, stdio: "inherit" });
if (result.status !== 0) {
  console.error("postinstall: generating the Prisma clients failed (see above). Fix it, then run `npm run db:generate`.");
  process.exit(result.status ?? 1);
}
