// The IMAP backend behind "User is authenticated but not connected." (reference §3, [I2]).
// Exchange accepts a valid token whose principal has no access to the mailbox named in user=,
// answers "<tag> OK AUTHENTICATE completed.", lists its capabilities, and then answers every
// other command "<tag> BAD User is authenticated but not connected."; after the second BAD it
// sends "* BYE Connection closed. 14" and closes. Dovecot cannot answer BAD after a login, so
// for these logins the auth bridge returns proxy=y and imap-login hands the authenticated
// session to this server: the client still talks TLS to Dovecot, which relays both ways.
import net from "node:net";
import type { HostPort } from "./contract";
import { EXCHANGE_IMAP_CAPABILITIES, IMAP_GREETING, IMAP_NOT_CONNECTED, IMAP_NOT_CONNECTED_BYE } from "./exchange-replies";

export interface NotConnectedImap extends HostPort {
  close(): Promise<void>;
}

const BADS_BEFORE_BYE = 2;

export async function startNotConnectedImap(): Promise<NotConnectedImap> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    serve(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("not-connected IMAP: no TCP address");
  return {
    host: "127.0.0.1",
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function serve(socket: net.Socket): void {
  let authenticated = false;
  let pendingAuthTag: string | null = null;
  let bads = 0;
  let literalBytes = 0;
  /** A command whose line ended in a literal ({n}) continues after the literal's bytes. */
  let partialCommand = "";
  let buffer = Buffer.alloc(0);
  const send = (line: string) => socket.write(`${line}\r\n`);

  // Without a CAPABILITY code here, Dovecot's proxy asks CAPABILITY before logging in.
  send(`* OK ${IMAP_GREETING}`);

  const onCommand = (line: string) => {
    if (pendingAuthTag !== null) {
      // The client's SASL response to "+ ": any credentials are fine, Dovecot checked the token.
      send(`${pendingAuthTag} OK AUTHENTICATE completed.`);
      pendingAuthTag = null;
      authenticated = true;
      return;
    }
    const [tag = "*", rawCommand = "", ...args] = line.split(" ");
    const command = rawCommand.toUpperCase();
    if (command === "LOGOUT") {
      send("* BYE Microsoft Exchange Server IMAP4 server signing off.");
      socket.end(`${tag} OK LOGOUT completed.\r\n`);
      return;
    }
    if (!authenticated) {
      // Only Dovecot's proxy talks to this phase. An untagged CAPABILITY list here would make
      // Dovecot prefix the client's OK with [CAPABILITY ...], which Exchange does not send.
      if (command === "CAPABILITY") send(`${tag} OK CAPABILITY completed.`);
      else if (command === "ID") send(`* ID NIL\r\n${tag} OK ID completed.`);
      else if (command === "AUTHENTICATE" && args.length >= 2) {
        authenticated = true;
        send(`${tag} OK AUTHENTICATE completed.`);
      } else if (command === "AUTHENTICATE") {
        pendingAuthTag = tag;
        send("+ ");
      } else if (command === "LOGIN") {
        authenticated = true;
        send(`${tag} OK AUTHENTICATE completed.`);
      } else send(`${tag} BAD Command Argument Error. 11`);
      return;
    }
    if (command === "CAPABILITY") {
      send(`* CAPABILITY ${EXCHANGE_IMAP_CAPABILITIES}`);
      send(`${tag} OK CAPABILITY completed.`);
      return;
    }
    bads += 1;
    send(`${tag} BAD ${IMAP_NOT_CONNECTED}`);
    if (bads >= BADS_BEFORE_BYE) socket.end(`${IMAP_NOT_CONNECTED_BYE}\r\n`);
  };

  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (literalBytes > 0) {
        // Skip the body of a literal ({n} or {n+}) that belongs to the current command.
        const take = Math.min(literalBytes, buffer.length);
        buffer = buffer.subarray(take);
        literalBytes -= take;
        if (literalBytes > 0) return;
      }
      const end = buffer.indexOf("\r\n");
      if (end < 0) return;
      const line = buffer.subarray(0, end).toString("utf8");
      buffer = buffer.subarray(end + 2);
      const literal = /\{(\d+)(\+?)\}$/.exec(line);
      if (literal !== null) {
        partialCommand += `${line.slice(0, literal.index)}"literal"`;
        literalBytes = Number(literal[1]);
        if (literal[2] === "") send("+ Ready for additional command text.");
        continue;
      }
      const command = partialCommand + line;
      partialCommand = "";
      onCommand(command);
    }
  });
}
