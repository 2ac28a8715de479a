// A few lines of socket code for raw protocol exchanges in tests (POP3 AUTH XOAUTH2, exact IMAP
// and SMTP reply texts): CRLF lines over TLS, or plain with an in-place STARTTLS/STLS upgrade.
import net from "node:net";
import tls from "node:tls";

export class LineClient {
  private socket: net.Socket;
  private buffer = "";
  private lines: string[] = [];
  private waiters: Array<() => void> = [];
  private ended = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    this.attach(socket);
  }

  /** Implicit TLS (993/995-style), verified against the test CA. */
  static async connectTls(port: number, caPem: string): Promise<LineClient> {
    const socket = tls.connect({ host: "127.0.0.1", port, ca: [caPem], servername: "localhost" });
    await new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", resolve);
      socket.once("error", reject);
    });
    return new LineClient(socket);
  }

  static async connectPlain(port: number): Promise<LineClient> {
    const socket = net.connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    return new LineClient(socket);
  }

  /** Upgrade after the server agreed to STARTTLS/STLS. */
  async startTls(caPem: string): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners("data");
    plain.removeAllListeners("end");
    plain.removeAllListeners("close");
    const secure = tls.connect({ socket: plain, ca: [caPem], servername: "localhost" });
    await new Promise<void>((resolve, reject) => {
      secure.once("secureConnect", resolve);
      secure.once("error", reject);
    });
    this.socket = secure;
    this.attach(secure);
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** The next line the server sent, without CRLF. Rejects on timeout or when the server closed. */
  async readLine(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.ended) throw new Error("connection closed by the server");
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no line within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.lines.shift() ?? "";
  }

  /** Lines up to and including the first one that matches (SMTP multi-line replies, IMAP tagged replies). */
  async readUntil(last: (line: string) => boolean): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.readLine();
      lines.push(line);
      if (last(line)) return lines;
    }
  }

  /** Resolves when the server has closed the connection. */
  async closedByServer(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.ended;
  }

  close(): void {
    this.socket.destroy();
  }

  private attach(socket: net.Socket): void {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf("\r\n")) >= 0) {
        this.lines.push(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 2);
      }
      this.wake();
    });
    const finish = () => {
      this.ended = true;
      this.wake();
    };
    socket.on("end", finish);
    socket.on("close", finish);
    socket.on("error", finish);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
