import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { closeDb, getDb } from "@/lib/db/client";
import { logError, logInfo } from "@/lib/log";
import { createTokenApi, isTokenApiPath } from "@/lib/api/create-token-api";
import { applySecurityHeaders } from "@/lib/server/security-headers";
import { preflight, StartupError } from "@/lib/server/preflight";

// The portal's one process and one port: checks its configuration, database and key first, then
// serves Next.js behind our own security headers. (Run with tsx: `npm start`, `npm run dev`.)
// /api/v1 (the token API for other software) is answered here, before Next, from memory where it
// can be: see ARCHITECTURE.md, "The token API's fast path".

const dev = process.argv.includes("--dev");
const projectRoot = path.resolve(import.meta.dirname, "../..");

function fail(message: string): never {
  process.stderr.write(`Cannot start the Mailbox OAuth Portal. ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const env = await preflight();
  if (!dev && !fs.existsSync(path.join(projectRoot, ".next", "BUILD_ID"))) {
    fail("The app is not built yet: run npm run build (npm run quickstart does both).");
  }
  const app = next({ dev, dir: projectRoot, hostname: env.HOST, port: env.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  const policy = { dev, secure: env.secureCookies, trustProxy: env.TRUST_PROXY };
  const tokenApi = createTokenApi();
  const server = http.createServer((req, res) => {
    if (isTokenApiPath(req.url)) {
      void tokenApi.handle(req, res);
      return;
    }
    applySecurityHeaders(req, res, policy);
    handle(req, res).catch((e: unknown) => {
      logError(`Unhandled error serving ${req.method} ${req.url?.split("?")[0]}`, e);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal error");
    });
  });
  server.on("error", (e: NodeJS.ErrnoException) => {
    fail(e.code === "EADDRINUSE" ? `Port ${env.PORT} on ${env.HOST} is in use: stop the other program or set PORT.` : e.message);
  });
  server.listen(env.PORT, env.HOST, async () => {
    const users = await getDb().user.count();
    logInfo(`Mailbox OAuth Portal ${dev ? "(development) " : ""}is ready at ${env.portalUrl} (listening on ${env.HOST}:${env.PORT}, ${env.databaseProvider === "sqlite" ? "SQLite" : "PostgreSQL"})`);
    if (users === 0) logInfo(`First run: open ${env.portalUrl}/setup to create the first admin.`);
  });

  const shutdown = (signal: string) => {
    logInfo(`${signal} received: closing`);
    // Issuance counts and last-use times buffered by the token API are written before the database
    // closes, also when open connections keep the server from closing in time.
    const writeUsage = () => tokenApi.close().catch((e: unknown) => logError("Could not write the token API's usage records", e));
    server.close(() => void writeUsage().finally(() => void closeDb().finally(() => process.exit(0))));
    setTimeout(() => void writeUsage().finally(() => process.exit(0)), 4000).unref();
    setTimeout(() => process.exit(0), 6000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((e: unknown) => {
  if (e instanceof StartupError) fail(e.message);
  logError("Start-up failed", e);
  fail("See the error above.");
});
