// The auth bridge: Dovecot's passdb dict (dovecot-config.ts) looks up, over Dovecot's dict proxy
// protocol on a UNIX socket, a key that carries the protocol, the SASL mechanism, user= and the
// token. The bridge calls the caller's verifyAccessToken, applies access-policy.ts and answers
// with the passdb fields (JSON) that produce Exchange's behaviour, or "not found".
//
// Why a dict and not "passdb oauth2" or checkpassword: Dovecot 2.3's oauth2 passdb sends only the
// token to an introspection URL and then requires the returned user name to equal user=, so it
// cannot see user= or the protocol and cannot express "a delegate opens a shared mailbox" or
// "IMAP needs IMAP.AccessAsUser.All". checkpassword sees both but refuses user + password longer
// than 512 bytes, and access tokens are 1-3 kB. A dict key has no such limit (64 kB lines).
//
// Protocol (observed with Dovecot 2.3.19): the client sends "H3\t2\t0\t<user>\t<dict name>\n",
// then "L<key>\t<user>\n" per lookup; the server answers each lookup in order with
// "O<value>\n" (found) or "N\n" (not found); keys and values are tab-escaped.
import fs from "node:fs";
import net from "node:net";
import type { HostPort } from "./contract";
import { decideLogin, describe, encodeSmtpLogin, type LoginVerdict, type MailboxLookup } from "./access-policy";
import type { MailService } from "./exchange-replies";

export interface AuthBridgeOptions {
  socketPath: string;
  verifyAccessToken(token: string): Promise<Record<string, unknown> | null>;
  getMailbox: MailboxLookup;
  /** See StartMailServersOptions.xoauth2ErrorContinuation. */
  xoauth2ErrorContinuation: boolean;
  /** The Exchange-like IMAP backend that answers "User is authenticated but not connected." */
  notConnectedBackend: HostPort;
  /** JSON lines, one per login decision (never the token). */
  decisionLog: string;
}

export interface AuthBridge {
  close(): Promise<void>;
}

export type BridgeStep = "grant" | "refuse";

/** The dict key template Dovecot expands per login: step, %s service, %m mechanism, %u user, %w password. */
export function bridgeKeyTemplate(step: BridgeStep): string {
  return `standin/${step}/%s/%m/%u/%w`;
}

interface BridgeRequest {
  step: BridgeStep;
  service: MailService;
  mechanism: string;
  user: string;
  password: string;
}

type PassdbFields = Readonly<Record<string, string>>;

export async function startAuthBridge(options: AuthBridgeOptions): Promise<AuthBridge> {
  fs.rmSync(options.socketPath, { force: true });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    serveDictConnection(socket, options);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.socketPath, resolve);
  });
  // Dovecot's auth workers run as its unprivileged internal user.
  fs.chmodSync(options.socketPath, 0o666);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function serveDictConnection(socket: net.Socket, options: AuthBridgeOptions): void {
  let buffer = "";
  // Replies must come in request order; lookups are answered one after the other.
  let queue: Promise<void> = Promise.resolve();
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      if (!line.startsWith("L")) continue; // "H" (hello) needs no answer
      queue = queue.then(async () => {
        const fields = await lookup(line.slice(1), options);
        if (!socket.destroyed) socket.write(fields === null ? "N\n" : `O${tabEscape(JSON.stringify(fields))}\n`);
      });
    }
  });
}

async function lookup(args: string, options: AuthBridgeOptions): Promise<PassdbFields | null> {
  const request = parseKey(tabUnescape(args.split("\t")[0] ?? ""));
  if (request === null) return null;
  const claims = await verify(options, request.password);
  const verdict = decideLogin(
    { service: request.service, mechanism: request.mechanism, mailbox: request.user, claims, nowMs: Date.now() },
    options.getMailbox,
  );
  if (request.step === "grant") {
    logDecision(options.decisionLog, request, verdict);
    return grantFields(request, verdict, options);
  }
  return refuseFields(verdict, options);
}

/** "shared/standin/<step>/<service>/<mechanism>/<user>/<password>"; the password may contain "/". */
function parseKey(key: string): BridgeRequest | null {
  const parts = key.split("/");
  const [shared, standin, step, service, mechanism, user] = parts;
  if (shared !== "shared" || standin !== "standin" || (step !== "grant" && step !== "refuse")) return null;
  if ((service !== "imap" && service !== "pop3" && service !== "smtp") || mechanism === undefined || user === undefined) return null;
  return { step, service, mechanism, user, password: parts.slice(6).join("/") };
}

/** First passdb: found (ending the lookup with success) only when the login may proceed. */
function grantFields(request: BridgeRequest, verdict: LoginVerdict, options: AuthBridgeOptions): PassdbFields | null {
  switch (verdict.outcome) {
    case "grant":
      // SMTP: smuggle the principal to the Send As milter in the SASL login name (access-policy.ts).
      return request.service === "smtp" ? { nopassword: "y", user: encodeSmtpLogin(request.user, verdict.principal) } : { nopassword: "y" };
    case "not-connected": {
      // Dovecot's login proxy: imap-login authenticates the client, then hands the session to the
      // Exchange-like backend, which answers "<tag> OK AUTHENTICATE completed." and then BAD.
      const backend = options.notConnectedBackend;
      return { nopassword: "y", proxy: "y", host: backend.host, port: String(backend.port), pass: "not-used" };
    }
    case "refuse":
      return null;
  }
}

/** Second passdb (result_success = return-fail): found with reason= fails the login at once with Exchange's text. */
function refuseFields(verdict: LoginVerdict, options: AuthBridgeOptions): PassdbFields | null {
  if (verdict.outcome !== "refuse") return null;
  // Not found instead lets Dovecot's XOAUTH2 mechanism send its error continuation first.
  if (options.xoauth2ErrorContinuation && verdict.tokenProblem) return null;
  return { nopassword: "y", nodelay: "y", reason: verdict.reply };
}

async function verify(options: AuthBridgeOptions, token: string): Promise<Record<string, unknown> | null> {
  if (token === "") return null;
  try {
    return await options.verifyAccessToken(token);
  } catch {
    return null;
  }
}

function logDecision(file: string, request: BridgeRequest, verdict: LoginVerdict): void {
  const entry = {
    time: new Date().toISOString(),
    service: request.service,
    mechanism: request.mechanism,
    mailbox: request.user,
    outcome: verdict.outcome,
    principal: verdict.outcome === "refuse" ? undefined : describe(verdict.principal),
    why: verdict.outcome === "grant" ? undefined : verdict.why,
  };
  fs.appendFile(file, `${JSON.stringify(entry)}\n`, () => {});
}

/** Dovecot's str_tabescape: \001 -> \0011, \t -> \001t, \r -> \001r, \n -> \001n. */
function tabEscape(value: string): string {
  return value.replace(/[\x01\t\r\n]/g, (c) => `\x01${{ "\x01": "1", "\t": "t", "\r": "r", "\n": "n" }[c] ?? ""}`);
}

function tabUnescape(value: string): string {
  return value.replace(/\x01([01trn])/g, (_, c: string) => ({ "0": "\0", "1": "\x01", t: "\t", r: "\r", n: "\n" })[c] ?? "");
}
