// Messages as Graph and EWS see them: seeded from the fixture mailboxes, plus what Graph
// sendMail delivers. (The IMAP/POP/SMTP servers keep their own maildirs; see README.)
import crypto from "node:crypto";
import type { MailboxPolicy } from "./mail-contract";

export type FolderName = "inbox" | "sentitems";

export interface StoredMessage {
  id: string;
  mailbox: string;
  folder: FolderName;
  internetMessageId: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  body: string;
  contentType: "text" | "html";
  isRead: boolean;
  receivedDateTime: string;
  sentDateTime: string;
}

export interface SentRecord {
  /** The mailbox whose sendMail was called. */
  mailbox: string;
  /** The principal that called it: user UPN or service-principal object ID. */
  sentBy: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  body: string;
  contentType: "text" | "html";
  at: string;
}

function graphStyleId(): string {
  // Graph message IDs are long base64 strings starting with AAMk.
  return `AAMk${crypto.randomBytes(90).toString("base64").replaceAll("/", "-").replaceAll("+", "_")}`;
}

export class MailStore {
  private messages: StoredMessage[] = [];
  private sent: SentRecord[] = [];

  reset(mailboxes: MailboxPolicy[]): void {
    this.messages = [];
    this.sent = [];
    const start = Date.now() - 3 * 24 * 3600_000;
    for (const m of mailboxes) {
      m.messages.forEach((seed, i) => {
        const when = new Date(start + i * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
        this.messages.push({
          id: graphStyleId(),
          mailbox: m.address,
          folder: "inbox",
          internetMessageId: `<${crypto.randomUUID()}@stand-in.localhost>`,
          from: seed.from,
          to: [m.address],
          cc: [],
          subject: seed.subject,
          body: seed.body,
          contentType: "text",
          isRead: seed.seen ?? false,
          receivedDateTime: when,
          sentDateTime: when,
        });
      });
    }
  }

  list(mailbox: string, folder?: FolderName): StoredMessage[] {
    const a = mailbox.toLowerCase();
    return this.messages
      .filter((m) => m.mailbox === a && (!folder || m.folder === folder))
      .sort((x, y) => y.receivedDateTime.localeCompare(x.receivedDateTime));
  }

  counts(mailbox: string, folder: FolderName): { total: number; unread: number } {
    const list = this.list(mailbox, folder);
    return { total: list.length, unread: list.filter((m) => !m.isRead).length };
  }

  /** Records a Graph sendMail; delivers into known recipient mailboxes and the sender's Sent Items. */
  send(record: Omit<SentRecord, "at">, knownMailboxes: Set<string>, saveToSentItems: boolean): void {
    const at = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    this.sent.push({ ...record, at });
    const base = {
      internetMessageId: `<${crypto.randomUUID()}@stand-in.localhost>`,
      from: record.from,
      to: record.to,
      cc: record.cc,
      subject: record.subject,
      body: record.body,
      contentType: record.contentType,
      receivedDateTime: at,
      sentDateTime: at,
    };
    for (const rcpt of new Set([...record.to, ...record.cc].map((r) => r.toLowerCase()))) {
      if (knownMailboxes.has(rcpt)) this.messages.push({ ...base, id: graphStyleId(), mailbox: rcpt, folder: "inbox", isRead: false });
    }
    if (saveToSentItems) this.messages.push({ ...base, id: graphStyleId(), mailbox: record.mailbox.toLowerCase(), folder: "sentitems", isRead: true });
  }

  sentMessages(mailbox?: string): SentRecord[] {
    return this.sent.filter((s) => !mailbox || s.mailbox === mailbox.toLowerCase() || s.from === mailbox.toLowerCase());
  }
}
