// Where one mail-server instance keeps its files: everything lives under its stateDir, so two
// stand-ins can run side by side and stopping one never touches the other.
import path from "node:path";

export interface MailLayout {
  stateDir: string;
  /** Generated configs and helper scripts. */
  etcDir: string;
  dovecotConf: string;
  /** passdb dict settings for the two lookups (grant, refuse). */
  dictGrantConf: string;
  dictRefuseConf: string;
  smtpAuthWrapper: string;
  deliverScript: string;
  /** Dovecot base_dir: its sockets and master.pid. Kept short: UNIX socket paths max out at 107 bytes. */
  dovecotBaseDir: string;
  dovecotStateDir: string;
  /** Dovecot auth listener (mechanisms LOGIN XOAUTH2) that Postfix uses, relative to base_dir. */
  smtpAuthSocketName: string;
  smtpAuthSocket: string;
  /** The auth bridge's dict socket (Node). */
  authBridgeSocket: string;
  postfixConfigDir: string;
  postfixQueueDir: string;
  postfixDataDir: string;
  /** Maildir homes, one per address. */
  mailRoot: string;
  /** One .eml + .env pair per Postfix pipe delivery. */
  deliveredDir: string;
  logDir: string;
  dovecotLog: string;
  postfixLog: string;
  decisionLog: string;
  /** Host pids of the running daemons, for stopMailServersInStateDir after a crash. */
  pidsFile: string;
}

export function mailLayout(stateDir: string): MailLayout {
  const root = path.resolve(stateDir);
  const etcDir = path.join(root, "etc");
  const dovecotBaseDir = path.join(root, "dc");
  const postfixQueueDir = path.join(root, "postfix-queue");
  const logDir = path.join(root, "logs");
  const smtpAuthSocketName = "smtp-auth";
  return {
    stateDir: root,
    etcDir,
    dovecotConf: path.join(etcDir, "dovecot.conf"),
    dictGrantConf: path.join(etcDir, "passdb-grant.conf.ext"),
    dictRefuseConf: path.join(etcDir, "passdb-refuse.conf.ext"),
    smtpAuthWrapper: path.join(etcDir, "dovecot-smtp-auth.sh"),
    deliverScript: path.join(etcDir, "deliver.sh"),
    dovecotBaseDir,
    dovecotStateDir: path.join(root, "dovecot-state"),
    smtpAuthSocketName,
    smtpAuthSocket: path.join(dovecotBaseDir, smtpAuthSocketName),
    authBridgeSocket: path.join(root, "auth-bridge.sock"),
    postfixConfigDir: path.join(root, "postfix"),
    postfixQueueDir,
    postfixDataDir: path.join(root, "postfix-data"),
    mailRoot: path.join(root, "mail"),
    deliveredDir: path.join(root, "delivered"),
    logDir,
    dovecotLog: path.join(logDir, "dovecot.log"),
    postfixLog: path.join(logDir, "postfix.log"),
    decisionLog: path.join(logDir, "auth-decisions.log"),
    pidsFile: path.join(root, "pids.json"),
  };
}

/** The longest socket Dovecot creates in base_dir ("replication-notify-fifo", "token-login/tokenlogin"). */
const LONGEST_DOVECOT_SOCKET = "/replication-notify-fifo";
const MAX_SOCKET_PATH = 107;

/** Fails early with a clear message instead of Dovecot's "path too long" at start-up. */
export function assertSocketPathsFit(layout: MailLayout): void {
  const longest = [layout.dovecotBaseDir + LONGEST_DOVECOT_SOCKET, layout.authBridgeSocket].sort((a, b) => b.length - a.length)[0] ?? "";
  if (Buffer.byteLength(longest) > MAX_SOCKET_PATH) {
    throw new Error(
      `stateDir is too long for UNIX sockets (${longest} exceeds ${MAX_SOCKET_PATH} bytes); ` +
        `use a shorter stateDir, e.g. under os.tmpdir().`,
    );
  }
}
