// How the stand-in loads its mail servers (Dovecot/Postfix, ./mail/start-mail-servers.ts): at run
// time, so the identity side still runs with --no-mail or without the apt packages.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// The types are the mail side's own (./mail/contract.ts), so the two can never drift apart.
export type { DeliveredMessage, HostPort, MailboxPolicy, MailboxSwitches, MailServers, SeedMessage, StartMailServersOptions } from "./mail/contract";
import type { MailServers, StartMailServersOptions } from "./mail/contract";

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
