// An organisation's SMTP relay with a user name and password, for the "SMTP settings" route: the stand-in's
// Postfix (like Exchange Online) refuses password logins, so a real password-accepting server is needed.
// This one speaks enough RFC 5321 and RFC 4954 (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT) over plain
// TCP on 127.0.0.1, checks the credentials, and keeps what it accepted.
import net from "node:net";

export interface RelayedMessage {
  authUser: string;
  from: string;
  to: string[];
  data: string;
}

export interface SmtpRelay {
  host: string;
  port: number;
  messages: RelayedMessage[];
  /** Every AUTH attempt's user name and whether it was accepted. */
  logins: Array<{ user: string; ok: boolean }>;
  close(): Promise<void>;
}

export async function startSmtpRelay(credentials: { user: string; password: string }): Promise<SmtpRelay> {
  const messages: RelayedMessage[] = [];
  const logins: SmtpRelay["logins"] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.setEncoding("utf8");
    const send = (line: string) => socket.write(`${line}\r\n`);
    let buffer = "";
    let authUser: string | null = null;
    let mail: { from: string; to: string[] } | null = null;
    let data: string[] | null = null;
    let pending: ((line: string) => void) | null = null;
    const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
    const login = (user: string, password: string) => {
      const ok = user === credentials.user && password === credentials.password;
      logins.push({ user, ok });
      if (ok) authUser = user;
      send(ok ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
    };
    const onLine = (line: string) => {
      if (data) {
        if (line === ".") {
          messages.push({ authUser: authUser!, from: mail!.from, to: mail!.to, data: data.join("\n") });
          data = null;
          mail = null;
          send("250 2.0.0 Ok: queued as RELAY1");
        } else data.push(line.startsWith("..") ? line.slice(1) : line);
        return;
      }
      if (pending) {
        const next = pending;
        pending = null;
        return next(line);
      }
      const [verb = "", ...rest] = line.split(" ");
      const arg = rest.join(" ");
      switch (verb.toUpperCase()) {
        case "EHLO":
          return socket.write("250-relay.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n");
        case "HELO":
          return send("250 relay.test");
        case "AUTH": {
          const [mech = "", initial] = arg.split(" ");
          const plain = (value: string) => {
            const [, user = "", password = ""] = b64(value).split("\u0000");
            login(user, password);
          };
          if (mech.toUpperCase() === "PLAIN") {
            if (initial) return plain(initial);
            pending = plain;
            return send("334 ");
          }
          if (mech.toUpperCase() === "LOGIN") {
            pending = (u) => {
              pending = (p) => login(b64(u), b64(p));
              send("334 UGFzc3dvcmQ6");
            };
            return send("334 VXNlcm5hbWU6");
          }
          return send("504 5.5.4 Unrecognized authentication type");
        }
        case "MAIL":
          if (!authUser) return send("530 5.7.0 Authentication required");
          mail = { from: /<([^>]*)>/.exec(arg)?.[1] ?? "", to: [] };
          return send("250 2.1.0 Ok");
        case "RCPT":
          if (!mail) return send("503 5.5.1 MAIL first");
          mail.to.push(/<([^>]*)>/.exec(arg)?.[1] ?? "");
          return send("250 2.1.5 Ok");
        case "DATA":
          if (!mail || mail.to.length === 0) return send("503 5.5.1 RCPT first");
          data = [];
          return send("354 End data with <CR><LF>.<CR><LF>");
        case "RSET":
          mail = null;
          return send("250 2.0.0 Ok");
        case "NOOP":
          return send("250 2.0.0 Ok");
        case "QUIT":
          send("221 2.0.0 Bye");
          return socket.end();
        default:
          return send("502 5.5.2 Command not recognized");
      }
    };
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        onLine(line);
      }
    });
    socket.on("error", () => undefined);
    send("220 relay.test ESMTP");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: "127.0.0.1",
    port: (server.address() as net.AddressInfo).port,
    messages,
    logins,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
