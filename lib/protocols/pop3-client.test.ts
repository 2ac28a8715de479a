// Parsing and exchange edge cases of the POP3 client against a tiny scripted TCP server in this
// test. The real behaviour (TLS, STLS, Dovecot's XOAUTH2) is proven in pop3.int.test.ts.
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { continuationPayload, isNegative, isPositive, LineReader, parseStatReply, Pop3Client, Pop3Error, unstuffDot } from "./pop3-client";
import { buildXoauth2InitialResponse } from "./xoauth2";

type Reply = string | string[] | null;
interface Scripted {
  port: number;
  received: string[];
  close(): Promise<void>;
}

const servers: Scripted[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that sends `greeting` (raw) and answers each received line with reply(line): raw chunks, or null for silence. */
async function scriptedServer(greeting: string | string[], reply: (line: string, received: string[]) => Reply): Promise<Scripted> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    for (const chunk of [greeting].flat()) socket.write(chunk);
    let buffer = "";
    socket.on("data", (d) => {
      buffer += d.toString("utf8");
      let at: number;
      while ((at = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        received.push(line);
        const answer = reply(line, received);
        if (answer === null) continue;
        for (const chunk of [answer].flat()) {
          if (chunk === "<close>") socket.end();
          else socket.write(chunk);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const s: Scripted = {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(s);
  return s;
}

const connect = (port: number, timeoutMs = 2000) => Pop3Client.connect({ host: "127.0.0.1", port, security: "none", timeoutMs });
const TOKEN = "eyJhbGciOi.payload-part.signature-part";
const USER = "adele.vance@contoso.com";
const BLOB = buildXoauth2InitialResponse(USER, TOKEN);
const CHALLENGE = Buffer.from('{"status":"401","schemes":"bearer","scope":"mail"}').toString("base64");

describe("reply helpers", () => {
  it("parses STAT and refuses anything else", () => {
    expect(parseStatReply("+OK 3 990")).toEqual({ messages: 3, octets: 990 });
    expect(parseStatReply("+OK 0 0 extra words")).toEqual({ messages: 0, octets: 0 });
    expect(() => parseStatReply("+OK three 990")).toThrow(Pop3Error);
    expect(() => parseStatReply("-ERR no")).toThrow(Pop3Error);
  });

  it("recognises +OK, -ERR and SASL continuations exactly", () => {
    expect(isPositive("+OK")).toBe(true);
    expect(isPositive("+OKAY")).toBe(false);
    expect(isNegative("-ERR [AUTH] Authentication failed.")).toBe(true);
    expect(continuationPayload("+")).toBe("");
    expect(continuationPayload("+ ")).toBe("");
    expect(continuationPayload(`+ ${CHALLENGE}`)).toBe(CHALLENGE);
    expect(continuationPayload("+OK")).toBeUndefined();
  });

  it("removes dot-stuffing", () => {
    expect(unstuffDot("..hidden")).toBe(".hidden");
    expect(unstuffDot("plain")).toBe("plain");
  });

  it("LineReader joins chunks split anywhere and accepts bare LF", async () => {
    const r = new LineReader();
    r.push("+O");
    r.push("K hel");
    r.push("lo\r");
    r.push("\nsecond\nthi");
    expect(await r.next(100)).toBe("+OK hello");
    expect(await r.next(100)).toBe("second");
    await expect(r.next(50)).rejects.toMatchObject({ kind: "timeout" });
    r.push("rd\r\n");
    expect(await r.next(100)).toBe("third");
  });

  it("LineReader refuses an endless line", async () => {
    const r = new LineReader();
    r.push("x".repeat(70 * 1024));
    await expect(r.next(100)).rejects.toMatchObject({ kind: "protocol" });
  });
});

describe("Pop3Client against a scripted server", () => {
  it("reads a greeting split over packets, CAPA with dot-stuffing, AUTH XOAUTH2 two-step, STAT, QUIT", async () => {
    const server = await scriptedServer(["+OK Micro", "soft Exchange POP3 ", "service is ready.\r\n"], (line) => {
      if (line === "CAPA") return ["+OK\r\nTOP\r\nUIDL\r\n", "SASL PLAIN XOAUTH2\r\n..dotted\r\n.\r\n"];
      if (line === "AUTH XOAUTH2") return "+ \r\n";
      if (line === BLOB) return "+OK User successfully authenticated.\r\n";
      if (line === "STAT") return "+OK 2 1234\r\n";
      if (line === "QUIT") return ["+OK Microsoft Exchange Server POP3 server signing off.\r\n", "<close>"];
      return "-ERR unexpected\r\n";
    });
    const client = await connect(server.port);
    expect(client.greeting).toBe("+OK Microsoft Exchange POP3 service is ready.");
    expect(await client.capa()).toEqual(["TOP", "UIDL", "SASL PLAIN XOAUTH2", ".dotted"]);
    expect(await client.authXoauth2(USER, TOKEN)).toEqual({ ok: true, line: "+OK User successfully authenticated." });
    expect(await client.stat()).toEqual({ messages: 2, octets: 1234 });
    await client.quit();
    expect(server.received).toEqual(["CAPA", "AUTH XOAUTH2", BLOB, "STAT", "QUIT"]);
  });

  it("answers an error challenge with an empty line, never sends the token twice, and returns the -ERR", async () => {
    const server = await scriptedServer("+OK ready\r\n", (line) => {
      if (line === "AUTH XOAUTH2") return "+\r\n";
      if (line === BLOB) return `+ ${CHALLENGE}\r\n`;
      if (line === "") return "-ERR [AUTH] Authentication failed.\r\n";
      return "-ERR unexpected\r\n";
    });
    const client = await connect(server.port);
    const result = await client.authXoauth2(USER, TOKEN);
    expect(result).toEqual({ ok: false, line: "-ERR [AUTH] Authentication failed.", challenge: { status: "401", schemes: "bearer", scope: "mail" } });
    client.close();
    expect(server.received).toEqual(["AUTH XOAUTH2", BLOB, ""]);
    expect(server.received.filter((l) => l.includes(BLOB))).toHaveLength(1);
  });

  it("returns an immediate -ERR after the response (Exchange's documented failure)", async () => {
    const server = await scriptedServer("+OK ready\r\n", (line) => (line === "AUTH XOAUTH2" ? "+\r\n" : "-ERR Authentication failure: unknown user name or bad password.\r\n"));
    const client = await connect(server.port);
    expect(await client.authXoauth2(USER, TOKEN)).toEqual({ ok: false, line: "-ERR Authentication failure: unknown user name or bad password." });
    client.close();
  });

  it("returns -ERR to AUTH XOAUTH2 itself without sending the token (mechanism not offered)", async () => {
    const server = await scriptedServer("+OK ready\r\n", () => "-ERR Unsupported authentication mechanism.\r\n");
    const client = await connect(server.port);
    expect(await client.authXoauth2(USER, TOKEN)).toEqual({ ok: false, line: "-ERR Unsupported authentication mechanism." });
    client.close();
    expect(server.received).toEqual(["AUTH XOAUTH2"]);
  });

  it("treats a server that accepts after its own error challenge as broken, not as a login", async () => {
    const server = await scriptedServer("+OK ready\r\n", (line) => (line === "AUTH XOAUTH2" ? "+\r\n" : line === BLOB ? `+ ${CHALLENGE}\r\n` : "+OK fine\r\n"));
    const client = await connect(server.port);
    await expect(client.authXoauth2(USER, TOKEN)).rejects.toMatchObject({ kind: "protocol" });
    client.close();
  });

  it("CAPA refused: undefined; a garbled STAT: protocol error", async () => {
    const server = await scriptedServer("+OK ready\r\n", (line) => (line === "CAPA" ? "-ERR unknown command\r\n" : "+OK lots\r\n"));
    const client = await connect(server.port);
    expect(await client.capa()).toBeUndefined();
    await expect(client.stat()).rejects.toMatchObject({ kind: "protocol", line: "+OK lots" });
    client.close();
  });

  it("a -ERR greeting is an error carrying the server's line", async () => {
    const server = await scriptedServer("-ERR too many connections\r\n", () => null);
    await expect(connect(server.port)).rejects.toMatchObject({ kind: "err", line: "-ERR too many connections" });
  });

  it("a silent server times out, a closing one reports closed", async () => {
    const silent = await scriptedServer("+OK ready\r\n", () => null);
    const client = await connect(silent.port, 300);
    await expect(client.stat()).rejects.toMatchObject({ kind: "timeout", code: "ETIMEDOUT" });
    client.close();

    const mute = await scriptedServer([], () => null);
    await expect(connect(mute.port, 300)).rejects.toMatchObject({ kind: "timeout" });

    const closing = await scriptedServer("+OK ready\r\n", () => "<close>");
    const c2 = await connect(closing.port);
    await expect(c2.stat()).rejects.toMatchObject({ kind: "closed" });
  });

  it("an abort signal ends a pending connect", async () => {
    const mute = await scriptedServer([], () => null);
    const controller = new AbortController();
    const pending = Pop3Client.connect({ host: "127.0.0.1", port: mute.port, security: "none", timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(Pop3Error);
  });

  it("refuses STLS data injected before the handshake", async () => {
    const server = await scriptedServer("+OK ready\r\n", (line) => (line === "STLS" ? "+OK Begin TLS\r\n-ERR injected\r\n" : null));
    await expect(Pop3Client.connect({ host: "127.0.0.1", port: server.port, security: "starttls", timeoutMs: 1000 })).rejects.toMatchObject({ kind: "protocol" });
  });

  it("never puts the token into an error message", async () => {
    const server = await scriptedServer("+OK ready\r\n", (line) => (line === "AUTH XOAUTH2" ? "+\r\n" : "garbage\r\n"));
    const client = await connect(server.port);
    const error = await client.authXoauth2(USER, TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3Error);
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(TOKEN);
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(BLOB);
    client.close();
  });
});
