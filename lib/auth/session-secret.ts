import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";

// Signs and encrypts the session cookie. NEXTAUTH_SECRET when set (required for several instances
// unless they share the data directory); otherwise generated once into the data directory, mode 0600.

const FILE = "session.secret";
let cached: string | null = null;

export function getSessionSecret(): string {
  if (cached) return cached;
  const env = getEnv();
  if (env.NEXTAUTH_SECRET) return (cached = env.NEXTAUTH_SECRET);
  const file = path.join(env.dataDir, FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(env.dataDir, { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, randomBytes(32).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  cached = fs.readFileSync(file, "utf8").trim();
  return cached;
}
