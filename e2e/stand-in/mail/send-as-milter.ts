// Send As enforcement for Postfix (smtpd_milters): at end of data, every From header address and
// the envelope sender must be the authenticated mailbox or an address it may send as; otherwise
// the message is refused with "554 5.2.252 SendAsDenied; <user> not allowed to send as <from>"
// (reference §3), which is where Exchange Online refuses it too. It also answers MAIL FROM on an
// unauthenticated session with Exchange's 530 text, which Postfix's own restrictions can only
// prefix with "<sender>: Sender address rejected:".
import net from "node:net";
import { decodeSmtpLogin, maySendAs, type MailboxLookup } from "./access-policy";
import { SMTP_NOT_AUTHENTICATED, sendAsDenied } from "./exchange-replies";
import {
  Cmd,
  MilterDecoder,
  Skip,
  continuePacket,
  negotiationReply,
  nulStrings,
  replyCodePacket,
  type MilterPacket,
} from "./milter-protocol";

export interface SendAsMilter {
  port: number;
  close(): Promise<void>;
}

/** Connect, HELO, RCPT, DATA, body and unknown commands are irrelevant to Send As. */
const SKIPPED_STEPS = Skip.connect | Skip.helo | Skip.recipient | Skip.body | Skip.unknown | Skip.data;
/** Commands the MTA expects an answer to (the rest: option negotiation, macros, abort, quit). */
const ANSWERED: ReadonlySet<string> = new Set([Cmd.connect, Cmd.helo, Cmd.mail, Cmd.recipient, Cmd.data, Cmd.header, Cmd.endOfHeaders, Cmd.body, Cmd.unknown]);

export async function startSendAsMilter(getMailbox: MailboxLookup): Promise<SendAsMilter> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const session = new MilterSession(getMailbox);
    const decoder = new MilterDecoder();
    socket.on("data", (chunk: Buffer) => {
      try {
        for (const packet of decoder.push(chunk)) {
          const reply = session.handle(packet);
          if (reply === "close") socket.end();
          else if (reply !== null) socket.write(reply);
        }
      } catch {
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("Send As milter: no TCP address");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

class MilterSession {
  private macros = new Map<string, string>();
  private authLogin: string | undefined;
  private envelopeFrom = "";
  private headerFroms: string[] = [];

  constructor(private readonly getMailbox: MailboxLookup) {}

  handle(packet: MilterPacket): Buffer | "close" | null {
    switch (packet.command) {
      case Cmd.optionNegotiation:
        return negotiationReply(packet.data, SKIPPED_STEPS);
      case Cmd.macro: {
        // First byte: the command these macros belong to; then name\0value\0 pairs.
        const pairs = nulStrings(packet.data.subarray(1));
        for (let i = 0; i + 1 < pairs.length; i += 2) this.macros.set(pairs[i] ?? "", pairs[i + 1] ?? "");
        return null;
      }
      case Cmd.mail:
        this.authLogin = this.macros.get("{auth_authen}");
        this.envelopeFrom = unbracket(nulStrings(packet.data)[0] ?? "");
        this.headerFroms = [];
        return this.authLogin === undefined || this.authLogin === "" ? replyCodePacket(SMTP_NOT_AUTHENTICATED) : continuePacket();
      case Cmd.header: {
        const [name = "", value = ""] = nulStrings(packet.data);
        if (name.toLowerCase() === "from") this.headerFroms.push(...addressesIn(value));
        return continuePacket();
      }
      case Cmd.endOfMessage:
        return this.verdict();
      case Cmd.abort:
        this.headerFroms = [];
        return null;
      case Cmd.quit:
        return "close";
      case Cmd.quitNewConnection:
        this.macros.clear();
        return null;
      default:
        return ANSWERED.has(packet.command) ? continuePacket() : null;
    }
  }

  private verdict(): Buffer {
    // Unauthenticated sessions were refused at MAIL FROM.
    if (this.authLogin === undefined || this.authLogin === "") return replyCodePacket(SMTP_NOT_AUTHENTICATED);
    const { mailbox, principal } = decodeSmtpLogin(this.authLogin);
    const candidates = [...this.headerFroms, this.envelopeFrom].filter((address) => address !== "");
    const denied = candidates.find((address) => !maySendAs(address, mailbox, principal, this.getMailbox));
    return denied === undefined ? continuePacket() : replyCodePacket(sendAsDenied(mailbox, denied));
  }
}

function unbracket(address: string): string {
  return address.trim().replace(/^<(.*)>$/, "$1");
}

/** Addresses in a From header: "Name <a@b>", "a@b", "\"Doe, Jane\" <a@b>", several separated by commas. */
export function addressesIn(header: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  let angle = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    else if (char === "<" && !quoted) angle = true;
    else if (char === ">" && !quoted) angle = false;
    if (char === "," && !quoted && !angle) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts
    .map((part) => (/<([^<>]*)>/.exec(part)?.[1] ?? part).trim())
    .filter((address) => address.includes("@"));
}
