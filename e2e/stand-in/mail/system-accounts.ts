// The Debian system accounts the mail servers drop privileges to. Dovecot's and Postfix's
// packages create them; Node has no getpwnam(), so /etc/passwd and /etc/group are read directly.
import fs from "node:fs";

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

export interface MailAccounts {
  /** Owns the maildirs and runs Dovecot's mail processes and Postfix's pipe delivery. */
  mail: Account;
  /** Dovecot's default_internal_user: auth and auth-worker processes run as it. */
  dovecot: Account;
  /** Dovecot's default_login_user (imap-login, pop3-login). */
  dovenull: Account;
  /** Postfix's mail_owner; owns data_directory. */
  postfix: Account;
  /** Postfix's setgid_group. */
  postdropGid: number;
}

export function lookupMailAccounts(): MailAccounts {
  const passwd = fs.readFileSync("/etc/passwd", "utf8");
  const group = fs.readFileSync("/etc/group", "utf8");
  return {
    mail: account(passwd, "mail"),
    dovecot: account(passwd, "dovecot"),
    dovenull: account(passwd, "dovenull"),
    postfix: account(passwd, "postfix"),
    postdropGid: groupId(group, "postdrop"),
  };
}

function account(passwd: string, name: string): Account {
  for (const line of passwd.split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && uid !== undefined && gid !== undefined) return { name, uid: Number(uid), gid: Number(gid) };
  }
  throw new Error(`System user "${name}" is missing: install dovecot-imapd, dovecot-pop3d and postfix from apt.`);
}

function groupId(groups: string, name: string): number {
  for (const line of groups.split("\n")) {
    const [group, , gid] = line.split(":");
    if (group === name && gid !== undefined) return Number(gid);
  }
  throw new Error(`System group "${name}" is missing: install postfix from apt.`);
}
