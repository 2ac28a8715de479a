// The contract between the stand-in and the mail servers (Dovecot/Postfix), which a colleague
// implements in ./mail/start-mail-servers.ts. This file mirrors that interface so the stand-in
// compiles and runs before (and independently of) the mail side; loadMailServers() checks the
// shape of the real module at runtime instead of importing it statically.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export interface MailboxSwitches {
  imapDisabled: boolean;
  popDisabled: boolean;
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
  ownerUpn?: string;
  /** UPNs or service-principal object IDs (reference §4: the EXO service principal's object ID). */
  fullAccess: string[];
  sendAs: string[];
  switches: MailboxSwitches;
  messages: SeedMessage[];
}

export interface StartMailServersOptions {
  stateDir: string;
  tls: { certPath: string; keyPath: string };
  mailboxes: MailboxPolicy[];
  verifyAccessToken(token: string): Promise<Record<string, unknown> | null>;
  getMailbox(address: string): MailboxPolicy | undefined;
  /** Optional (mail side): XOAUTH2 error continuation before the final failure; default false. */
  xoauth2ErrorContinuation?: boolean;
  /** Optional (mail side): print the listening ports when ready; default true. */
  printPorts?: boolean;
}

export interface HostPort {
  host: string;
  port: number;
}

export interface DeliveredMessage {
  from: string;
  to: string[];
  raw: string;
}

export interface MailServers {
  imap: HostPort;
  pop3: HostPort;
  /** POP3 with STLS on a plain port (the mail side offers it in addition to the contract). */
  pop3Starttls?: HostPort;
  smtp: HostPort;
  delivered(address?: string): Promise<DeliveredMessage[]>;
  stop(): Promise<void>;
}

export type StartMailServers = (opts: StartMailServersOptions) => Promise<MailServers>;

export const MAIL_MODULE_PATH = path.join(import.meta.dirname, "mail", "start-mail-servers.ts");

/** The colleague's startMailServers, or null while ./mail/start-mail-servers.ts does not exist. */
export async function loadMailServers(modulePath: string = MAIL_MODULE_PATH): Promise<StartMailServers | null> {
  if (!fs.existsSync(modulePath)) return null;
  const mod: unknown = await import(pathToFileURL(modulePath).href);
  if (typeof mod !== "object" || mod === null || !("startMailServers" in mod)) {
    throw new Error(`${modulePath} does not export startMailServers`);
  }
  const start = (mod as { startMailServers: unknown }).startMailServers;
  if (typeof start !== "function") throw new Error(`${modulePath}: startMailServers is not a function`);
  return start as StartMailServers;
}
