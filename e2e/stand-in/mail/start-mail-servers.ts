// Real Dovecot (IMAP, POP3) and Postfix (SMTP submission) from apt, accepting XOAUTH2 the way
// Exchange Online does (reference = microsoft-365-mail-oauth.md §1.3 and §3). See README.md.
//
//   client --TLS--> Dovecot imap-login/pop3-login --passdb dict--> auth bridge (this process)
//   client --STARTTLS--> Postfix smtpd --SASL--> Dovecot auth-smtp --passdb dict--> auth bridge
//   Postfix cleanup --milter--> Send As milter (this process); Postfix pipe --> stateDir/delivered
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { DeliveredMessage, MailServers, StartMailServersOptions } from "./contract";
import { bridgeKeyTemplate, startAuthBridge, type AuthBridge } from "./auth-bridge";
import { readDelivered } from "./delivered-store";
import { startDaemons, stopDaemons, stopLeftoverDaemons, type DaemonPorts, type RunningDaemons } from "./daemons";
import { renderDovecotConf, renderPassdbDictConf } from "./dovecot-config";
import { deliverScript, smtpAuthWrapperScript } from "./helper-scripts";
import { assertSocketPathsFit, mailLayout, type MailLayout } from "./layout";
import { seedMaildirs } from "./maildir-seed";
import { startNotConnectedImap, type NotConnectedImap } from "./not-connected-imap";
import { renderMainCf, renderMasterCf } from "./postfix-config";
import { createPostfixQueue } from "./postfix-queue";
import { startSendAsMilter, type SendAsMilter } from "./send-as-milter";
import { lookupMailAccounts, type MailAccounts } from "./system-accounts";

export type {
  DeliveredMessage,
  HostPort,
  MailboxPolicy,
  MailboxSwitches,
  MailServers,
  SeedMessage,
  StartMailServersOptions,
} from "./contract";

const HOST = "127.0.0.1";
const START_ATTEMPTS = 3;
const REQUIRED_FILES = ["/usr/sbin/dovecot", "/usr/lib/dovecot/auth", "/usr/sbin/postfix", "/usr/lib/postfix/sbin/master", "/bin/bash"];

interface Helpers {
  notConnected: NotConnectedImap;
  bridge: AuthBridge;
  milter: SendAsMilter;
}

export async function startMailServers(opts: StartMailServersOptions): Promise<MailServers> {
  const startedAt = performance.now();
  assertCanRun();
  const layout = mailLayout(opts.stateDir);
  assertSocketPathsFit(layout);
  await stopLeftoverDaemons(layout);
  const accounts = lookupMailAccounts();
  prepareStateDir(layout, accounts);
  seedMaildirs(layout.mailRoot, opts.mailboxes, accounts.mail);

  const notConnected = await startNotConnectedImap();
  const bridge = await startAuthBridge({
    socketPath: layout.authBridgeSocket,
    verifyAccessToken: opts.verifyAccessToken,
    getMailbox: opts.getMailbox,
    xoauth2ErrorContinuation: opts.xoauth2ErrorContinuation ?? false,
    notConnectedBackend: notConnected,
    decisionLog: layout.decisionLog,
  });
  const milter = await startSendAsMilter(opts.getMailbox);
  const helpers: Helpers = { notConnected, bridge, milter };

  let started: { daemons: RunningDaemons; ports: DaemonPorts } | undefined;
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS && started === undefined; attempt++) {
    try {
      const ports: DaemonPorts = { imaps: await freePort(), pop3: await freePort(), pop3s: await freePort(), smtp: await freePort() };
      writeConfiguration(layout, accounts, helpers, ports, opts);
      resetRuntimeDirs(layout, accounts);
      started = { daemons: await startDaemons(layout, ports), ports };
    } catch (error) {
      lastError = error;
      // Another process may take a port between choosing and binding it; retry with new ports.
      if (!String(error).includes("in use")) break;
    }
  }
  if (started === undefined) {
    await closeHelpers(helpers);
    throw lastError;
  }

  const { daemons, ports } = started;
  const killOnExit = () => {
    // Last resort if the process exits without stop(): nothing async is possible here. Killing
    // unshare tears down Postfix's PID namespace (--kill-child).
    if (daemons.postfix.child.pid) tryKill(daemons.postfix.child.pid, "SIGKILL");
    if (daemons.dovecot.child.pid) tryKill(daemons.dovecot.child.pid, "SIGTERM");
  };
  process.once("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      await stopDaemons(daemons);
      await closeHelpers(helpers);
    })();
    return stopping;
  };

  const servers: MailServers = {
    imap: { host: HOST, port: ports.imaps },
    pop3: { host: HOST, port: ports.pop3s },
    pop3Starttls: { host: HOST, port: ports.pop3 },
    smtp: { host: HOST, port: ports.smtp },
    delivered: (address?: string): Promise<DeliveredMessage[]> => readDelivered(layout.deliveredDir, layout.postfixQueueDir, address),
    stop,
  };
  if (opts.printPorts ?? true) {
    const ms = Math.round(performance.now() - startedAt);
    console.log(
      `[stand-in mail] ready in ${ms} ms: IMAP ${HOST}:${ports.imaps} (TLS), POP3 ${HOST}:${ports.pop3s} (TLS) ` +
        `and ${HOST}:${ports.pop3} (STLS), SMTP ${HOST}:${ports.smtp} (STARTTLS); state ${layout.stateDir}`,
    );
  }
  return servers;
}

/**
 * Stops whatever an earlier instance left running in this stateDir (found through its pids.json),
 * for example after the process that started it was killed. Safe to call when nothing runs.
 */
export async function stopMailServersInStateDir(stateDir: string): Promise<void> {
  await stopLeftoverDaemons(mailLayout(stateDir));
}

async function closeHelpers(helpers: Helpers): Promise<void> {
  await Promise.all([helpers.bridge.close(), helpers.milter.close(), helpers.notConnected.close()]);
}

function assertCanRun(): void {
  if (process.platform !== "linux") throw new Error("The mail stand-in needs Linux (Dovecot and Postfix from apt).");
  if (process.getuid?.() !== 0) {
    throw new Error("The mail stand-in must run as root: the Dovecot and Postfix masters need it (their workers drop privileges).");
  }
  const missing = REQUIRED_FILES.filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(`Missing ${missing.join(", ")}: apt-get install dovecot-imapd dovecot-pop3d postfix (see e2e/support/ensure-system-packages.sh).`);
  }
}

/** Creates the instance's directories fresh: every start seeds the same state. */
function prepareStateDir(layout: MailLayout, accounts: MailAccounts): void {
  fs.mkdirSync(layout.stateDir, { recursive: true });
  // Dovecot's and Postfix's unprivileged processes must reach their files below stateDir.
  fs.chmodSync(layout.stateDir, 0o755);
  makeSearchable(path.dirname(layout.stateDir));
  const owned = [layout.etcDir, layout.dovecotStateDir, layout.postfixConfigDir, layout.mailRoot, layout.deliveredDir, layout.logDir];
  for (const dir of owned) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { mode: 0o755 });
  }
  fs.chownSync(layout.deliveredDir, accounts.mail.uid, accounts.mail.gid);
}

/** Runtime directories: wiped before each start attempt. */
function resetRuntimeDirs(layout: MailLayout, accounts: MailAccounts): void {
  for (const dir of [layout.dovecotBaseDir, layout.postfixDataDir]) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { mode: 0o755 });
  }
  createPostfixQueue(layout.postfixQueueDir, accounts);
  // Postfix's master takes its lock in data_directory as mail_owner.
  fs.chownSync(layout.postfixDataDir, accounts.postfix.uid, accounts.postfix.gid);
  fs.chmodSync(layout.postfixDataDir, 0o700);
}

function writeConfiguration(layout: MailLayout, accounts: MailAccounts, helpers: Helpers, ports: DaemonPorts, opts: StartMailServersOptions): void {
  const instanceName = `standin-${crypto.createHash("sha256").update(layout.stateDir).digest("hex").slice(0, 10)}`;
  const write = (file: string, content: string, mode: number) => fs.writeFileSync(file, content, { mode });
  write(layout.dovecotConf, renderDovecotConf({ layout, accounts, ports, tls: opts.tls, instanceName }), 0o644);
  write(layout.dictGrantConf, renderPassdbDictConf(layout.authBridgeSocket, bridgeKeyTemplate("grant")), 0o644);
  write(layout.dictRefuseConf, renderPassdbDictConf(layout.authBridgeSocket, bridgeKeyTemplate("refuse")), 0o644);
  write(layout.smtpAuthWrapper, smtpAuthWrapperScript(), 0o755);
  write(layout.deliverScript, deliverScript(layout.deliveredDir), 0o755);
  const postfixInput = { layout, accounts, submissionPort: ports.smtp, milterPort: helpers.milter.port, tls: opts.tls };
  const mainCf = path.join(layout.postfixConfigDir, "main.cf");
  const masterCf = path.join(layout.postfixConfigDir, "master.cf");
  write(mainCf, renderMainCf(postfixInput), 0o644);
  write(masterCf, renderMasterCf(postfixInput), 0o644);
  // Postfix re-reads a "hot" main.cf (modified within the last second) every 300 ms until it
  // cools down (dict_load_file), which adds ~2 s to every start: backdate the files.
  const past = new Date(Date.now() - 60_000);
  for (const file of [mainCf, masterCf]) fs.utimesSync(file, past, past);
}

/**
 * Adds the search bit for others (never read) to ancestors that lack it, e.g. a mkdtemp() parent
 * with mode 0700: the daemons' unprivileged users must be able to traverse to stateDir.
 */
function makeSearchable(dir: string): void {
  for (let current = dir; current !== path.dirname(current); current = path.dirname(current)) {
    const mode = fs.statSync(current).mode & 0o7777;
    if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: HOST, port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address !== "string" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
