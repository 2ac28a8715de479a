import { protocolUsesOf, type InboundProtocol, type OutboundProtocol, type ProtocolUse } from "@/lib/microsoft/protocols";

/** The protocol uses (inbound IMAP, outbound SMTP, …) of a stored mailbox row. */
export function usesOfMailbox(m: { inboundProtocol: string | null; outboundProtocol: string | null }): ProtocolUse[] {
  return protocolUsesOf({ inbound: m.inboundProtocol as InboundProtocol | null, outbound: m.outboundProtocol as OutboundProtocol | null });
}
