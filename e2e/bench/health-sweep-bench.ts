import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { getDb } from "@/lib/db/client";
import { saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { confirmAppOnlyAccess } from "@/lib/consent/confirm-app-only-access";
import { saveMailbox } from "@/lib/mailboxes/save-mailbox";
import { writeBulkFixtures } from "@/lib/health/test-support/bulk-fixtures";
import { startStandIn } from "../stand-in/start-stand-in";
import { contosoTenantId, fixtureApps, standInCloudFields } from "../support/stand-in-cloud";
import { startTestDatabase } from "../support/test-database";
import { summarize } from "./stats";

// A sweep of 1,000 mailboxes against the stand-in's real Dovecot (IMAP), Postfix (SMTP) and Graph, next
// to the floor: 1,000 bare imapflow logins by a plain script against the same Dovecot, at the same
// concurrency. Mailboxes are app-only (the fixture daemon app), configured and connected through the
// portal's own domain functions, no browser. Each side runs in its own process (wall time, peak RSS).
// Half the mailboxes read over IMAP and send over SMTP, half read over Graph: 1,500 checks.

const MAILBOXES = 1_000;
const CONCURRENCY = 8;
const root = path.resolve(import.meta.dirname, "../..");
const actor = { id: null, label: "bench@example.com" };
const meta = { ip: null, userAgent: "bench" };

function runChild(config: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "e2e/bench/health-sweep-child.ts")], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: "warn" },
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) reject(new Error(`benchmark child exited with ${code}`));
      else resolve(JSON.parse(line.slice("RESULT ".length)) as Record<string, unknown>);
    });
    child.stdin.end(JSON.stringify(config));
  });
}

const perSecond = (n: number, ms: number) => Math.round((n / (ms / 1000)) * 10) / 10;

export async function benchHealthSweep(): Promise<Record<string, unknown>> {
  const fixtures = writeBulkFixtures(MAILBOXES, "bench");
  const standInStart = performance.now();
  const standIn = await startStandIn({ mail: true, fixturesPath: fixtures.path });
  const standInMs = performance.now() - standInStart;
  const db = await startTestDatabase("sqlite");
  try {
    const { appRegistration } = await saveAppRegistration(
      null,
      { label: "Daemon (stand-in)", ...standInCloudFields(standIn), tenant: contosoTenantId, audience: "multi_tenant", clientId: fixtureApps.daemon.clientId, credentialType: "secret", clientSecret: fixtureApps.daemon.secret, credentialExpiresAt: "2030-06-30" },
      actor,
      meta,
    );
    const setupStart = performance.now();
    for (const [i, address] of fixtures.addresses.entries()) {
      const form =
        i % 2 === 0
          ? { direction: "both", inboundProtocol: "imap", outboundProtocol: "smtp" }
          : { direction: "inbound", inboundProtocol: "graph" };
      await saveMailbox(null, { address, ...form, authMode: "app_only", appRegistrationId: appRegistration.id }, actor, meta);
    }
    const confirmed = await confirmAppOnlyAccess(appRegistration.id, actor, meta);
    if (!confirmed.ok || confirmed.connectedMailboxes !== MAILBOXES) throw new Error("app-only access was not confirmed for every mailbox");
    const setupMs = performance.now() - setupStart;

    const sweeps: Record<string, unknown>[] = [];
    for (const run of ["first", "second"]) {
      const since = new Date();
      const tokenRequestsBefore = await standIn.control.countRequests({ endpoint: "token" });
      const child = await runChild({ mode: "sweep", concurrency: CONCURRENCY, checkTimeoutMs: 20_000 });
      const rows = await getDb().healthCheck.findMany({ where: { trigger: "sweep", at: { gte: since } }, select: { protocol: true, ok: true, durationMs: true } });
      const result = child.result as { checks: number; failures: number; mailboxes: number };
      const wallMs = child.wallMs as number;
      sweeps.push({
        run,
        mailboxes: result.mailboxes,
        checks: result.checks,
        failures: result.failures,
        /** Client-credentials requests at the stand-in during the sweep (app-only tokens are per app and resource, and stored). */
        tokenRequests: (await standIn.control.countRequests({ endpoint: "token" })) - tokenRequestsBefore,
        wallMs: Math.round(wallMs),
        checksPerSecond: perSecond(result.checks, wallMs),
        checkLatencyMs: summarize(rows.map((r) => r.durationMs)),
        byProtocolMs: Object.fromEntries(["imap", "smtp", "graph"].map((p) => [p, summarize(rows.filter((r) => r.protocol === p).map((r) => r.durationMs))])),
        peakRssMiB: child.maxRssMiB,
      });
      if (result.failures > 0) throw new Error(`the sweep had ${result.failures} failing checks: the benchmark setup is wrong`);
    }

    const token = await standIn.control.mintToken({ kind: "app", tenant: contosoTenantId, clientId: fixtureApps.daemon.clientId, scope: "https://outlook.office365.com/.default", roles: ["IMAP.AccessAsApp"] });
    const floor = await runChild({ mode: "floor", concurrency: CONCURRENCY, host: standIn.mail!.imap.host, port: standIn.mail!.imap.port, caPath: standIn.paths.caCert, token: token.access_token, addresses: fixtures.addresses });
    const floorLatencies = floor.latenciesMs as number[];
    if ((floor.failures as number) > 0) throw new Error(`${String(floor.failures)} bare logins failed: the benchmark setup is wrong`);
    return {
      mailboxes: MAILBOXES,
      concurrency: CONCURRENCY,
      mix: "500 × (IMAP in + SMTP out), 500 × Graph in: 1,500 checks per sweep",
      cpu: os.cpus()[0]?.model,
      cpus: os.cpus().length,
      setup: { standInStartMs: Math.round(standInMs), mailboxesAndGrantsMs: Math.round(setupMs) },
      sweeps,
      floorBareImapflowLogins: {
        logins: floorLatencies.length,
        wallMs: Math.round(floor.wallMs as number),
        loginsPerSecond: perSecond(floorLatencies.length, floor.wallMs as number),
        loginLatencyMs: summarize(floorLatencies),
        peakRssMiB: floor.maxRssMiB,
      },
    };
  } finally {
    await standIn.stop();
    await db.cleanup();
    fixtures.remove();
  }
}
