// Seeds one Maildir per mailbox from MailboxPolicy.messages, so IMAP STATUS and POP3 STAT give
// known counts. Every message goes to cur/ (never \Recent, whichever session looks first); a
// seen message carries the S flag, an unseen one no flag.
import fs from "node:fs";
import path from "node:path";
import type { MailboxPolicy, SeedMessage } from "./contract";
import type { Account } from "./system-accounts";

export function seedMaildirs(mailRoot: string, mailboxes: readonly MailboxPolicy[], owner: Account): void {
  fs.mkdirSync(mailRoot, { recursive: true });
  chownTree(mailRoot, owner);
  const baseTime = Math.floor(Date.now() / 1000) - mailboxes.length * 1000;
  for (const mailbox of mailboxes) {
    const home = path.join(mailRoot, mailbox.address.toLowerCase());
    const maildir = path.join(home, "Maildir");
    for (const sub of ["cur", "new", "tmp"]) fs.mkdirSync(path.join(maildir, sub), { recursive: true });
    mailbox.messages.forEach((message, index) => {
      const date = new Date((baseTime + index * 60) * 1000);
      const content = renderMessage(mailbox.address, message, date, index);
      const flags = message.seen === true ? "S" : "";
      // Maildir name: <time>.<unique>.<host>,S=<size>:2,<flags>; S= lets Dovecot skip a stat().
      const name = `${Math.floor(date.getTime() / 1000)}.M${index}P${process.pid}.stand-in,S=${Buffer.byteLength(content)}:2,${flags}`;
      fs.writeFileSync(path.join(maildir, "cur", name), content);
    });
    chownTree(home, owner);
  }
}

function renderMessage(to: string, message: SeedMessage, date: Date, index: number): string {
  const lines = [
    `From: ${message.from}`,
    `To: ${to}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <seed-${index}.${to.replace(/[^A-Za-z0-9.-]/g, "_")}@stand-in.localhost>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    ...message.body.replace(/\r\n/g, "\n").split("\n"),
  ];
  return lines.join("\n") + "\n";
}

/** RFC 2047 encoded-word for subjects that are not plain ASCII. */
function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;
}

function chownTree(dir: string, owner: Account): void {
  fs.chownSync(dir, owner.uid, owner.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, owner);
    else fs.chownSync(full, owner.uid, owner.gid);
  }
}
