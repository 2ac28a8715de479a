import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { standInCloudFields, contosoTenantId, fixtureApps } from "../support/stand-in-cloud";
import { stopMailServersInStateDir } from "./mail/start-mail-servers";
import { startStandIn } from "./start-stand-in";

// npm run demo: the portal and the local Microsoft 365 stand-in side by side, so a newcomer can connect
// a mailbox end to end without a Microsoft tenant. The portal reaches the stand-in only through what any
// admin can configure: an app registration in the "custom" cloud with the stand-in's hosts and CA.
// Demo data lives in ./data-demo, apart from the real ./data.

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = path.join(root, "data-demo");
const tsx = path.join(root, "node_modules/.bin/tsx");

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const portalUrl = `http://localhost:${port}`;
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.log("Building the portal first (npm run build) …");
    await run("npm", ["run", "build", "--silent"]);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const standIn = await startStandIn({
    stateDir: path.join(dataDir, "stand-in"),
    mail: "auto",
    ports: { identity: Number(process.env.DEMO_IDENTITY_PORT ?? 4431), graph: Number(process.env.DEMO_GRAPH_PORT ?? 4432), outlook: Number(process.env.DEMO_OUTLOOK_PORT ?? 4433) },
    redirectUris: Object.values(fixtureApps).map((a) => ({ clientId: a.clientId, uri: `${portalUrl}/oauth/callback` })),
  });

  const env = { ...process.env, NODE_ENV: "production" as const, PORT: String(port), PORTAL_URL: portalUrl, PORTAL_DATA_DIR: dataDir, DATABASE_URL: `file:${path.join(dataDir, "portal.db")}` };
  // Demo configuration is written through the portal's own domain code, in a child process with the demo env.
  const seed = spawn(tsx, ["e2e/stand-in/demo-seed.ts"], {
    cwd: root,
    env: { ...env, DEMO_CLOUD: JSON.stringify(standInCloudFields(standIn)), DEMO_TENANT: contosoTenantId, DEMO_CLIENT_ID: fixtureApps.portal.clientId, DEMO_SECRET: fixtureApps.portal.secret },
    stdio: "inherit",
  });
  const seedCode = await new Promise<number>((resolve) => seed.on("exit", (c) => resolve(c ?? 1)));
  if (seedCode !== 0) throw new Error("Preparing the demo data failed (see above).");

  const portal = spawn(tsx, ["lib/server/main.ts"], { cwd: root, env, stdio: "inherit" });
  // One shutdown, whoever asks first (Ctrl-C reaches the portal too, whose exit then asks again):
  // the stand-in's Dovecot and Postfix must be stopped before this process exits.
  let stopping: Promise<void> | null = null;
  const shutdown = () => {
    stopping ??= (async () => {
      if (portal.exitCode === null) portal.kill("SIGTERM");
      await standIn.stop();
      // Ctrl-C also reaches the daemons' process group; whatever survived the orderly stop goes now.
      await stopMailServersInStateDir(path.join(dataDir, "stand-in", "mail"));
    })().finally(() => process.exit(0));
    return stopping;
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
  portal.on("exit", () => void shutdown());

  console.log(`
Demo running.
  Portal:        ${portalUrl}   (first visit: create an admin; demo data is in ${path.relative(root, dataDir)}/)
  Microsoft:     ${standIn.urls.identity}   (the local stand-in; its certificate comes from ${path.relative(root, standIn.paths.caCert)})
  Mail servers:  ${standIn.mail ? `IMAP ${standIn.mail.imap.host}:${standIn.mail.imap.port}, SMTP ${standIn.mail.smtp.host}:${standIn.mail.smtp.port}` : "not running (install dovecot-imapd dovecot-pop3d postfix for IMAP/SMTP checks)"}

Try it: Mailboxes → adele.vance@contoso.com → Connect → (your browser warns about the stand-in's
certificate: continue, or trust the CA file above) → pick "Adele Vance" → Accept → connected and checked.
Stop with Ctrl-C.`);
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed`))));
  });
}

main().catch((e: unknown) => {
  console.error(`The demo could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
