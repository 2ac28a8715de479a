// The token API's answer used the way a help desk or mailer would, from a plain socket client written here
// (no mail library): the returned server settings, the returned XOAUTH2 string, the stand-in's real Dovecot
// (IMAP AUTHENTICATE XOAUTH2 over TLS) and Postfix (SMTP AUTH XOAUTH2 after STARTTLS). Reference §3.
import net from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADELE, connectDelegated, createMailbox, testPolicy } from "@/lib/grants/test-support/grant-fixture";
import { flushLastUsedWrites } from "@/lib/grants/touch-last-used";
import { callApi, makeKey, startTokenApiTestEnv, type TokenApiTestEnv } from "@/lib/api/test-support/token-api-test-env";
import { expectNoSecretsLeaked, startSecretWatch, type SecretWatch } from "@/lib/api/test-support/secret-watch";

interface TokenAnswer {
  access_token: string;
  sasl_user: string;
  xoauth2: string;
  server: { host: string; port: number; security: "tls" | "starttls"; url: null };
}

/** Reads lines from a socket; `until` decides when an answer is complete. */
class LineReader {
  private buffer = "";
  private waiting: (() => void) | null = null;
  constructor(private socket: net.Socket) {
    this.attach(socket);
  }
  attach(socket: net.Socket): void {
    this.socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      this.waiting?.();
    });
  }
  async read(until: (line: string) => boolean, timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    const lines: string[] = [];
    for (;;) {
      let nl: number;
      while ((nl = this.buffer.indexOf("\r\n")) !== -1) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 2);
        lines.push(line);
        if (until(line)) return lines;
      }
      if (Date.now() > deadline) throw new Error(`no complete answer; got ${JSON.stringify(lines)}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 200);
      });
    }
  }
  write(line: string): void {
    this.socket.write(`${line}\r\n`);
  }
}

async function imapLogin(answer: TokenAnswer, caPem: string): Promise<string[]> {
  const socket = tls.connect({ host: answer.server.host, port: answer.server.port, ca: caPem, servername: "localhost" });
  await new Promise<void>((resolve, reject) => socket.once("secureConnect", resolve).once("error", reject));
  const reader = new LineReader(socket);
  try {
    await reader.read((l) => l.startsWith("* OK"));
    reader.write(`A1 AUTHENTICATE XOAUTH2 ${answer.xoauth2}`);
    const auth = await reader.read((l) => l.startsWith("A1 ") || l.startsWith("+"));
    if (auth.at(-1)!.startsWith("+")) {
      // An error challenge: answer with an empty line, the NO follows (reference §3).
      reader.write("");
      auth.push(...(await reader.read((l) => l.startsWith("A1 "))));
    }
    reader.write("A2 SELECT INBOX");
    const select = await reader.read((l) => l.startsWith("A2 "));
    reader.write("A3 LOGOUT");
    await reader.read((l) => l.startsWith("A3 ")).catch(() => []);
    return [...auth, ...select];
  } finally {
    socket.destroy();
  }
}

async function smtpLogin(answer: TokenAnswer, caPem: string): Promise<string[]> {
  const plain = net.connect({ host: answer.server.host, port: answer.server.port });
  await new Promise<void>((resolve, reject) => plain.once("connect", resolve).once("error", reject));
  const reader = new LineReader(plain);
  const reply = (code?: string) => reader.read((l) => /^\d{3} /.test(l) && (!code || l.startsWith(code)));
  try {
    await reply("220");
    reader.write("EHLO help-desk.example");
    const ehlo = await reply();
    expect(ehlo.join("\n")).toContain("STARTTLS");
    reader.write("STARTTLS");
    await reply("220");
    plain.removeAllListeners("data");
    const secure = tls.connect({ socket: plain, ca: caPem, servername: "localhost" });
    await new Promise<void>((resolve, reject) => secure.once("secureConnect", resolve).once("error", reject));
    reader.attach(secure);
    reader.write("EHLO help-desk.example");
    const ehloTls = await reply();
    expect(ehloTls.join("\n")).toMatch(/AUTH.*XOAUTH2/);
    reader.write(`AUTH XOAUTH2 ${answer.xoauth2}`);
    let auth = await reply();
    if (auth.at(-1)!.startsWith("334")) {
      reader.write("");
      auth = [...auth, ...(await reply())];
    }
    reader.write("QUIT");
    await reply("221").catch(() => []);
    secure.destroy();
    return auth;
  } finally {
    plain.destroy();
  }
}

let env: TokenApiTestEnv;
let watch: SecretWatch;
let key: string;

beforeAll(async () => {
  watch = startSecretWatch();
  env = await startTokenApiTestEnv({ mail: true, api: { tokenPolicy: testPolicy } });
  key = (await makeKey({ name: "mail client" })).key;
  watch.add(key);
}, 180_000);

afterAll(async () => {
  await env?.api.flushUsage({ final: true });
  await flushLastUsedWrites();
  if (env) await expectNoSecretsLeaked(watch, env.db);
  watch?.stop();
  await env?.stop();
});

describe("the returned XOAUTH2 string logs in from a plain client", () => {
  it("IMAP over TLS at Dovecot, and SMTP after STARTTLS at Postfix, at the servers the answer names", async () => {
    const mailboxId = await createMailbox(env, { address: ADELE });
    const { tokens } = await connectDelegated(env, mailboxId);
    watch.add(tokens.accessToken, tokens.refreshToken);

    const imap = await callApi<TokenAnswer>(env, "POST", `/api/v1/mailboxes/${ADELE}/token?protocol=imap`, key);
    expect(imap.status).toBe(200);
    watch.add(imap.json.xoauth2);
    expect(imap.json.server).toEqual({ host: env.standIn.mail!.imap.host, port: env.standIn.mail!.imap.port, security: "tls", url: null });
    const imapLines = await imapLogin(imap.json, env.standIn.caPem);
    expect(imapLines.find((l) => l.startsWith("A1 "))).toMatch(/^A1 OK/);
    expect(imapLines.find((l) => l.startsWith("A2 "))).toMatch(/^A2 OK/);

    const smtp = await callApi<TokenAnswer>(env, "POST", `/api/v1/mailboxes/${ADELE}/token?protocol=smtp`, key);
    expect(smtp.json.server).toEqual({ host: env.standIn.mail!.smtp.host, port: env.standIn.mail!.smtp.port, security: "starttls", url: null });
    watch.add(smtp.json.xoauth2);
    const smtpLines = await smtpLogin(smtp.json, env.standIn.caPem);
    expect(smtpLines.at(-1)).toMatch(/^235 /);
  });

  it("the check can fail: a token for another user is refused by both servers", async () => {
    const megan = "megan.bowen@contoso.com";
    const mailboxId = await createMailbox(env, { address: megan });
    // Consented by Adele, who has no access to Megan's mailbox (a misconfiguration the servers must catch).
    const { tokens } = await connectDelegated(env, mailboxId, ADELE);
    watch.add(tokens.accessToken, tokens.refreshToken);
    const imap = await callApi<TokenAnswer>(env, "POST", `/api/v1/mailboxes/${megan}/token?protocol=imap`, key);
    watch.add(imap.json.xoauth2);
    const imapLines = await imapLogin(imap.json, env.standIn.caPem);
    expect(imapLines.find((l) => l.startsWith("A2 ") || l.startsWith("A1 NO"))).not.toMatch(/^A2 OK/);
    const smtp = await callApi<TokenAnswer>(env, "POST", `/api/v1/mailboxes/${megan}/token?protocol=smtp`, key);
    watch.add(smtp.json.xoauth2);
    expect((await smtpLogin(smtp.json, env.standIn.caPem)).at(-1)).toMatch(/^535 /);
  });
});
