import type { AuthMode, ConnectionSecurity, Protocol, ProtocolUse } from "@/lib/microsoft/protocols";

// A mailbox as the token API serves it, held in memory by lib/api/caches/mailbox-cache.ts: enough to
// decide reach, pick the protocol use, name the token's resource and describe the server, without a
// database round trip. No secret is part of it.

export interface ApiServerSettings {
  host: string;
  port: number;
  security: ConnectionSecurity;
  /** Graph and EWS: the base URL; null for IMAP, POP3 and SMTP. */
  url: string | null;
}

export interface ApiMailboxUse {
  protocol: Protocol;
  use: ProtocolUse;
  /** The resource (audience) of the token this use needs, as the token engine names it. */
  resource: string;
  server: ApiServerSettings | null;
}

export interface ApiMailbox {
  id: string;
  address: string;
  tags: string[];
  authMode: AuthMode;
  /** One entry per protocol the mailbox uses (inbound first). */
  uses: ApiMailboxUse[];
  /**
   * Changes whenever something the API hands out depends on changes: settings, the grant (connected,
   * reconnected, disconnected, stopped). Cached tokens and responses of a mailbox are dropped when it does.
   */
  fingerprint: string;
}
