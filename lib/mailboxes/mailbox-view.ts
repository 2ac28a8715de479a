import { getDb } from "@/lib/db/client";
import { decodeTags, type MailboxDirection } from "@/lib/mailboxes/mailbox-form";
import type { AuthMode, ConnectionSecurity, InboundProtocol, OutboundProtocol } from "@/lib/microsoft/protocols";

export interface MailboxView {
  id: string;
  address: string;
  displayName: string;
  direction: MailboxDirection;
  inboundProtocol: InboundProtocol | null;
  inboundHost: string | null;
  inboundPort: number | null;
  inboundSecurity: ConnectionSecurity | null;
  outboundProtocol: OutboundProtocol | null;
  outboundHost: string | null;
  outboundPort: number | null;
  outboundSecurity: ConnectionSecurity | null;
  authMode: AuthMode;
  accountKind: "work" | "personal";
  signingIdentity: string | null;
  ownerEmail: string | null;
  tags: string[];
  appRegistration: { id: string; label: string; cloud: string; tenant: string };
  createdAt: Date;
  updatedAt: Date;
}

export const mailboxViewSelect = {
  id: true,
  address: true,
  displayName: true,
  direction: true,
  inboundProtocol: true,
  inboundHost: true,
  inboundPort: true,
  inboundSecurity: true,
  outboundProtocol: true,
  outboundHost: true,
  outboundPort: true,
  outboundSecurity: true,
  authMode: true,
  accountKind: true,
  signingIdentity: true,
  ownerEmail: true,
  tags: true,
  createdAt: true,
  updatedAt: true,
  appRegistration: { select: { id: true, label: true, cloud: true, tenant: true } },
} as const;

type Row = {
  [K in keyof typeof mailboxViewSelect]: K extends "appRegistration" ? MailboxView["appRegistration"] : unknown;
} & { tags: string; inboundPort: number | null; outboundPort: number | null; createdAt: Date; updatedAt: Date };

export function toMailboxView(row: Row): MailboxView {
  return {
    ...(row as unknown as Omit<MailboxView, "tags">),
    tags: decodeTags(row.tags),
  };
}

export async function getMailbox(id: string): Promise<MailboxView | null> {
  const row = await getDb().mailbox.findUnique({ where: { id }, select: mailboxViewSelect });
  return row ? toMailboxView(row) : null;
}
