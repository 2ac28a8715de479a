// The Sendmail milter wire protocol (version 6), as much of it as a Postfix smtpd_milters
// filter that only reads the envelope sender and headers needs. A packet is a 4-byte big-endian
// length (command byte included), the command byte, then its data.

export const MILTER_VERSION = 6;

/** MTA -> milter commands. */
export const Cmd = {
  optionNegotiation: "O",
  macro: "D",
  connect: "C",
  helo: "H",
  mail: "M",
  recipient: "R",
  data: "T",
  header: "L",
  endOfHeaders: "N",
  body: "B",
  endOfMessage: "E",
  abort: "A",
  quit: "Q",
  quitNewConnection: "K",
  unknown: "U",
} as const;

/** Milter -> MTA replies. */
export const Reply = {
  optionNegotiation: "O",
  continue: "c",
  replyCode: "y",
} as const;

/** Protocol flags: steps the milter does not want to see (SMFIP_NO*). */
export const Skip = {
  connect: 0x1,
  helo: 0x2,
  recipient: 0x8,
  body: 0x10,
  unknown: 0x100,
  data: 0x200,
} as const;

export interface MilterPacket {
  command: string;
  data: Buffer;
}

/** Splits a byte stream into packets. */
export class MilterDecoder {
  private buffer = Buffer.alloc(0);

  push(chunk: Buffer): MilterPacket[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const packets: MilterPacket[] = [];
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0);
      if (length < 1) throw new Error("milter: empty packet");
      if (this.buffer.length < 4 + length) break;
      packets.push({ command: String.fromCharCode(this.buffer[4] ?? 0), data: this.buffer.subarray(5, 4 + length) });
      this.buffer = this.buffer.subarray(4 + length);
    }
    return packets;
  }
}

export function encodePacket(command: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(data.length + 1, 0);
  header.write(command, 4, "latin1");
  return Buffer.concat([header, data]);
}

/** NUL-terminated strings, as in macro, MAIL and header packets. */
export function nulStrings(data: Buffer): string[] {
  const text = data.toString("utf8");
  const parts = text.split("\0");
  if (parts.at(-1) === "") parts.pop();
  return parts;
}

/** Answer to SMFIC_OPTNEG: no modification actions, skip the steps in `skip` the MTA lets us skip. */
export function negotiationReply(offer: Buffer, skip: number): Buffer {
  const offeredProtocol = offer.length >= 12 ? offer.readUInt32BE(8) : 0;
  const data = Buffer.alloc(12);
  data.writeUInt32BE(MILTER_VERSION, 0);
  data.writeUInt32BE(0, 4);
  data.writeUInt32BE(skip & offeredProtocol, 8);
  return encodePacket(Reply.optionNegotiation, data);
}

/** SMFIR_REPLYCODE: a complete SMTP reply ("554 5.2.252 ...") that Postfix passes to the client. */
export function replyCodePacket(smtpReply: string): Buffer {
  return encodePacket(Reply.replyCode, Buffer.from(`${smtpReply}\0`, "utf8"));
}

export function continuePacket(): Buffer {
  return encodePacket(Reply.continue);
}
