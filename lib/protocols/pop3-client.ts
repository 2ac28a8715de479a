// A small POP3 client (RFC 1939, CAPA RFC 2449, STLS RFC 2595, AUTH RFC 5034) for exactly what a
// health check needs: connect with implicit TLS or STLS, read the greeting, CAPA, AUTH XOAUTH2 as
// Exchange Online expects it (reference §3), STAT, QUIT.
// Written here because no maintained npm POP3 client speaks XOAUTH2 (checked: node-pop3 0.11.0,
// yapople 0.4.10, poplib 0.1.7, mailpop3 0.1.0; see lib/protocols/README.md).
import net from "node:net";
import tls from "node:tls";
import { StringDecoder } from "node:string_decoder";
import { buildXoauth2InitialResponse, decodeXoauth2ErrorChallenge, type Xoauth2ErrorChallenge } from "./xoauth2";

export type Pop3Security = "tls" | "starttls" | "none";

export interface Pop3ConnectOptions {
  host: string;
  port: number;
  security: Pop3Security;
  /** ca, checkServerIdentity, minVersion… (servername is set from host unless host is an IP). */
  tls?: tls.ConnectionOptions;
  /** Each wait for the server (connect, a reply line) may take this long. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Why a POP3 exchange failed; `line` is the server's reply when there was one. Never holds the token. */
export class Pop3Error extends Error {
  constructor(
    readonly kind: "err" | "protocol" | "closed" | "timeout",
    message: string,
    readonly line?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "Pop3Error";
  }
}

export type Pop3AuthResult =
  | { ok: true; line: string }
  /** `challenge`: the server sent an XOAUTH2 error challenge before its -ERR (answered with an empty line). */
  | { ok: false; line: string; challenge?: Xoauth2ErrorChallenge };

/** Splits a byte stream into CRLF (or bare LF) terminated lines and hands them out one by one. */
export class LineReader {
  private buffer = "";
  private readonly lines: string[] = [];
  private waiter: { resolve: (line: string) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  push(chunk: string): void {
    this.buffer += chunk;
    let at: number;
    while ((at = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, at).replace(/\r$/, "");
      this.buffer = this.buffer.slice(at + 1);
      this.lines.push(line);
    }
    // A server that never ends a line must not make us buffer without bound.
    if (this.buffer.length > 64 * 1024) this.fail(new Pop3Error("protocol", "the server sent a line longer than 64 KiB"));
    this.deliver();
  }

  fail(error: Error): void {
    if (!this.failure) this.failure = error;
    this.deliver();
  }

  /** Lines already received but not yet read (none may be pending when the socket is upgraded to TLS). */
  get pending(): number {
    return this.lines.length + (this.buffer.length > 0 ? 1 : 0);
  }

  next(timeoutMs: number): Promise<string> {
    if (this.waiter) return Promise.reject(new Pop3Error("protocol", "a line is already awaited"));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Pop3Error("timeout", `no reply from the server within ${timeoutMs} ms`, undefined, "ETIMEDOUT"));
      }, timeoutMs);
      this.waiter = {
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.deliver();
    });
  }

  private deliver(): void {
    if (!this.waiter) return;
    const line = this.lines.shift();
    if (line !== undefined) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(line);
    } else if (this.failure) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(this.failure);
    }
  }
}

/** "+OK 3 4512" → { messages: 3, octets: 4512 } (RFC 1939 §5: the drop listing). */
export function parseStatReply(line: string): { messages: number; octets: number } {
  const m = /^\+OK\s+(\d+)\s+(\d+)(\s|$)/.exec(line);
  if (!m) throw new Pop3Error("protocol", "STAT reply is not '+OK <messages> <octets>'", line);
  return { messages: Number(m[1]), octets: Number(m[2]) };
}

/** Removes the leading dot a server adds to lines starting with "." in a multi-line reply (RFC 1939 §3). */
export function unstuffDot(line: string): string {
  return line.startsWith("..") ? line.slice(1) : line;
}

export function isPositive(line: string): boolean {
  return line === "+OK" || line.startsWith("+OK ");
}

export function isNegative(line: string): boolean {
  return line === "-ERR" || line.startsWith("-ERR ");
}

/** The SASL continuation ("+" or "+ <base64>", RFC 5034 §4); its payload, "" for a bare "+". */
export function continuationPayload(line: string): string | undefined {
  if (line === "+") return "";
  if (line.startsWith("+ ")) return line.slice(2).trim();
  return undefined;
}

export class Pop3Client {
  /** The server's greeting line (+OK …). */
  greeting = "";
  /** TLS version in use, or null (plain). */
  tlsProtocol: string | null = null;
  private reader = new LineReader();
  private closed = false;

  private constructor(
    private socket: net.Socket,
    private readonly options: Pop3ConnectOptions,
  ) {
    this.attach(socket);
  }

  /** Opens the connection, reads the greeting and, for "starttls", upgrades with STLS. */
  static async connect(options: Pop3ConnectOptions, hooks: { onConnected?: () => void } = {}): Promise<Pop3Client> {
    const socket = await openSocket(options);
    const client = new Pop3Client(socket, options);
    const onAbort = (): void => client.close();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (socket instanceof tls.TLSSocket) client.tlsProtocol = socket.getProtocol();
      client.greeting = await client.readLine();
      if (!isPositive(client.greeting)) throw new Pop3Error("err", "the server's greeting is not +OK", client.greeting);
      if (options.security === "starttls") await client.startTls();
      hooks.onConnected?.();
      return client;
    } catch (error) {
      client.close();
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /** CAPA (RFC 2449); undefined when the server does not know it. */
  async capa(): Promise<string[] | undefined> {
    const first = await this.command("CAPA");
    if (isNegative(first)) return undefined;
    if (!isPositive(first)) throw new Pop3Error("protocol", "unexpected reply to CAPA", first);
    return this.readMultiline();
  }

  /**
   * AUTH XOAUTH2 as Exchange documents it (reference §3): "AUTH XOAUTH2" → "+" → base64 initial
   * response → "+OK" or "-ERR". On an error challenge ("+ <base64 JSON>") the answer is an empty
   * line, never the token again, and the -ERR that follows is returned.
   */
  async authXoauth2(user: string, accessToken: string): Promise<Pop3AuthResult> {
    const blob = buildXoauth2InitialResponse(user, accessToken);
    const ready = await this.command("AUTH XOAUTH2");
    if (isNegative(ready)) return { ok: false, line: ready };
    if (continuationPayload(ready) === undefined) throw new Pop3Error("protocol", "unexpected reply to AUTH XOAUTH2", ready);
    const reply = await this.command(blob);
    if (isPositive(reply)) return { ok: true, line: reply };
    if (isNegative(reply)) return { ok: false, line: reply };
    const challengeText = continuationPayload(reply);
    if (challengeText === undefined) throw new Pop3Error("protocol", "unexpected reply to the XOAUTH2 response", reply);
    const challenge = decodeXoauth2ErrorChallenge(challengeText) ?? {};
    const final = await this.command("");
    if (isNegative(final)) return { ok: false, line: final, challenge };
    // A server that accepts after its own error challenge breaks the protocol; never treat it as a login.
    throw new Pop3Error("protocol", "unexpected reply after the XOAUTH2 error challenge", final);
  }

  async stat(): Promise<{ messages: number; octets: number }> {
    const line = await this.command("STAT");
    if (isNegative(line)) throw new Pop3Error("err", "STAT was refused", line);
    return parseStatReply(line);
  }

  /** QUIT and wait for its reply; errors are swallowed (the check already has its answer). */
  async quit(): Promise<void> {
    if (this.closed) return;
    try {
      await this.command("QUIT");
    } catch {
      // Nothing to do: the connection is closed below either way.
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reader.fail(new Pop3Error("closed", "the connection was closed", undefined, "ECLOSED"));
    this.socket.destroy();
  }

  private async command(line: string): Promise<string> {
    if (this.closed) throw new Pop3Error("closed", "the connection is closed", undefined, "ECLOSED");
    if (/[\r\n]/.test(line)) throw new Pop3Error("protocol", "a POP3 command must be one line");
    this.socket.write(`${line}\r\n`);
    return this.readLine();
  }

  private readLine(): Promise<string> {
    return this.reader.next(this.options.timeoutMs);
  }

  private async readMultiline(): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const line = await this.readLine();
      if (line === ".") return out;
      out.push(unstuffDot(line));
      if (out.length > 10_000) throw new Pop3Error("protocol", "multi-line reply without end");
    }
  }

  private async startTls(): Promise<void> {
    const reply = await this.command("STLS");
    if (!isPositive(reply)) throw new Pop3Error("err", "the server refused STLS", reply);
    // Anything the server sent after +OK and before the handshake would be a plain-text injection.
    if (this.reader.pending > 0) throw new Pop3Error("protocol", "the server sent data before the TLS handshake");
    const plain = this.socket;
    plain.removeAllListeners("data");
    plain.removeAllListeners("error");
    plain.removeAllListeners("close");
    const secure = await upgradeSocket(plain, this.options);
    this.socket = secure;
    this.reader = new LineReader();
    this.attach(secure);
    this.tlsProtocol = secure.getProtocol();
  }

  private attach(socket: net.Socket): void {
    // A decoder per socket (not setEncoding): the plain socket is later handed to TLS as raw bytes.
    const decoder = new StringDecoder("utf8");
    socket.on("data", (chunk: Buffer) => this.reader.push(decoder.write(chunk)));
    socket.on("error", (e) => this.reader.fail(e));
    socket.on("close", () => this.reader.fail(new Pop3Error("closed", "the server closed the connection", undefined, "ECLOSED")));
  }
}

function servername(host: string): string | undefined {
  return net.isIP(host) ? undefined : host;
}

function openSocket(options: Pop3ConnectOptions): Promise<net.Socket> {
  return new Promise<net.Socket>((resolve, reject) => {
    let socket: net.Socket;
    const sni = servername(options.host);
    if (options.security === "tls") {
      socket = tls.connect({ ...options.tls, host: options.host, port: options.port, ...(sni ? { servername: sni } : {}) });
    } else {
      socket = net.connect({ host: options.host, port: options.port });
    }
    const readyEvent = options.security === "tls" ? "secureConnect" : "connect";
    const timer = setTimeout(() => fail(new Pop3Error("timeout", `no connection within ${options.timeoutMs} ms`, undefined, "ETIMEDOUT")), options.timeoutMs);
    const onAbort = (): void => fail(new Pop3Error("timeout", "the check was cancelled", undefined, "ETIMEDOUT"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    function cleanup(): void {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket.removeListener("error", fail);
      socket.removeListener(readyEvent, ready);
    }
    function fail(error: Error): void {
      cleanup();
      socket.destroy();
      reject(error);
    }
    function ready(): void {
      cleanup();
      resolve(socket);
    }
    socket.once("error", fail);
    socket.once(readyEvent, ready);
  });
}

function upgradeSocket(plain: net.Socket, options: Pop3ConnectOptions): Promise<tls.TLSSocket> {
  return new Promise<tls.TLSSocket>((resolve, reject) => {
    const sni = servername(options.host);
    const secure = tls.connect({ ...options.tls, socket: plain, host: options.host, ...(sni ? { servername: sni } : {}) });
    const timer = setTimeout(() => fail(new Pop3Error("timeout", `no TLS handshake within ${options.timeoutMs} ms`, undefined, "ETIMEDOUT")), options.timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      secure.destroy();
      reject(error);
    }
    secure.once("error", fail);
    secure.once("secureConnect", () => {
      clearTimeout(timer);
      secure.removeListener("error", fail);
      resolve(secure);
    });
  });
}
