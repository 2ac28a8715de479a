// The contract between the stand-in's identity part (which owns tokens and the directory) and the
// mail servers started here. start-mail-servers.ts re-exports these types; ../mail-contract.ts
// mirrors them structurally so the identity part can load this module at runtime.

export interface MailboxSwitches {
  /** Set-CASMailbox -ImapEnabled $false (reference §3). */
  imapDisabled: boolean;
  /** Set-CASMailbox -PopEnabled $false (reference §3). */
  popDisabled: boolean;
  /** Set-CASMailbox -SmtpClientAuthenticationDisabled $true (reference §3, [P1]). */
  smtpAuthDisabled: boolean;
}

export interface SeedMessage {
  from: string;
  subject: string;
  body: string;
  seen?: boolean;
}

export interface MailboxPolicy {
  address: string;
  kind: "user" | "shared";
  /** The user who owns a user mailbox, when the UPN differs from the primary address. */
  ownerUpn?: string;
  /** Principals with FullAccess (Add-MailboxPermission): UPNs or service-principal object IDs (reference §4). */
  fullAccess: string[];
  /** Principals with SendAs on this mailbox (Add-RecipientPermission): UPNs, object IDs or mailbox addresses. */
  sendAs: string[];
  switches: MailboxSwitches;
  messages: SeedMessage[];
}

export interface StartMailServersOptions {
  /** Writable directory for configs, sockets, maildirs, queue and logs; nothing outside it is touched. */
  stateDir: string;
  /** Leaf certificate for 127.0.0.1/localhost signed by the stand-in's CA. */
  tls: { certPath: string; keyPath: string };
  /** Initial mailboxes, seeded into maildirs. */
  mailboxes: MailboxPolicy[];
  /** Checks signature and expiry; returns the JWT claims or null. */
  verifyAccessToken(token: string): Promise<Record<string, unknown> | null>;
  /** Live view of a mailbox (switch changes apply to the next login). Should match addresses case-insensitively. */
  getMailbox(address: string): MailboxPolicy | undefined;
  /**
   * Optional, default false. When true, a rejected token gets Dovecot's XOAUTH2 error
   * continuation (IMAP `+ <base64 JSON>`, POP3 `+ <base64 JSON>`, SMTP `334 <base64 JSON>`) before
   * the final failure, as Gmail does and RFC 7628 allows; the client must answer with an empty
   * line. When false, refusals are immediate, as in Microsoft's samples (reference §3).
   */
  xoauth2ErrorContinuation?: boolean;
  /** Optional, default true: print the listening ports once the servers are ready. */
  printPorts?: boolean;
}

export interface HostPort {
  host: string;
  port: number;
}

export interface DeliveredMessage {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients. */
  to: string[];
  /** The message as Postfix delivered it (LF line endings, with Postfix's Received header). */
  raw: string;
}

export interface MailServers {
  /** IMAP on implicit TLS (993-style). */
  imap: HostPort;
  /** POP3 on implicit TLS (995-style). */
  pop3: HostPort;
  /** POP3 on a plain port that requires STLS before authentication (110-style). */
  pop3Starttls: HostPort;
  /** SMTP submission with STARTTLS (587-style). */
  smtp: HostPort;
  /** Messages Postfix delivered (waits for the queue to drain first); with an address, only those to it. */
  delivered(address?: string): Promise<DeliveredMessage[]>;
  /** Stops Postfix, Dovecot and the helper services of this instance, and waits until they are gone. */
  stop(): Promise<void>;
}
