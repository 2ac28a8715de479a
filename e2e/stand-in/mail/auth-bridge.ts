// The auth bridge: Dovecot's checkpassword helpers (helper-scripts.ts) ask it, over a one-line
// TCP protocol on 127.0.0.1, whether a login may proceed. It calls the caller's verifyAccessToken,
// applies access-policy.ts and answers with the Dovecot passdb extra fields that produce
// Exchange's behaviour.
import fs from "node:fs";
import net from "node:net";
import type { HostPort } from "./contract";
import { decideLogin, describe, encodeSmtpLogin, type LoginVerdict, type MailboxLookup } from "./access-policy";
import type { MailService } from "./exchange-replies";

export interface AuthBridgeOptions {
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
  port: number;
  close(): Promise<void>;
}

interface BridgeRequest {
  step: "grant" | "refuse";
  service: MailService;
  mechanism: string;
  user: string;
  password: string;
}

export async function startAuthBridge(options: AuthBridgeOptions): Promise<AuthBridge> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let buffer = "";
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      const end = buffer.indexOf("\n");
      if (end < 0) return;
      const request = parseRequest(buffer.slice(0, end));
      buffer = "";
      void answer(request, options).then(
        (reply) => socket.end(`${reply}\n`),
        () => socket.end("ERR\n"),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("auth bridge: no TCP address");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** "<step> <service> <mechanism> <secured> <base64(user\0password\0)>" */
function parseRequest(line: string): BridgeRequest | null {
  const [step, service, mechanism, , payload] = line.trim().split(" ");
  if ((step !== "grant" && step !== "refuse") || (service !== "imap" && service !== "pop3" && service !== "smtp")) return null;
  if (mechanism === undefined || payload === undefined) return null;
  const [user = "", password = ""] = Buffer.from(payload, "base64").toString("utf8").split("\0");
  return { step, service, mechanism, user, password };
}

async function answer(request: BridgeRequest | null, options: AuthBridgeOptions): Promise<string> {
  if (request === null) return "ERR";
  const claims = await verify(options, request.password);
  const verdict = decideLogin(
    { service: request.service, mechanism: request.mechanism, mailbox: request.user, claims, nowMs: Date.now() },
    options.getMailbox,
  );
  if (request.step === "grant") {
    logDecision(options.decisionLog, request, verdict);
    return grantReply(request, verdict, options);
  }
  return refuseReply(verdict, options);
}

/** First passdb: succeed (ending the lookup) only when the login may proceed. */
function grantReply(request: BridgeRequest, verdict: LoginVerdict, options: AuthBridgeOptions): string {
  switch (verdict.outcome) {
    case "grant":
      // SMTP: smuggle the principal to the Send As milter in the SASL login name (access-policy.ts).
      return request.service === "smtp"
        ? fields({ user: encodeSmtpLogin(request.user, verdict.principal) })
        : fields({ nodelay: "y" });
    case "not-connected": {
      // Dovecot's login proxy: imap-login authenticates the client, then hands the session to the
      // Exchange-like backend, which answers "<tag> OK AUTHENTICATE completed." and then BAD.
      const backend = options.notConnectedBackend;
      return fields({ proxy: "y", host: backend.host, port: String(backend.port), pass: "not-used", nodelay: "y" });
    }
    case "refuse":
      return "NO";
  }
}

/** Second passdb: succeed with reason= to fail the login at once with Exchange's text. */
function refuseReply(verdict: LoginVerdict, options: AuthBridgeOptions): string {
  if (verdict.outcome !== "refuse") return "NO";
  // Failing here instead lets Dovecot's XOAUTH2 mechanism send its error continuation first.
  if (options.xoauth2ErrorContinuation && verdict.tokenProblem) return "NO";
  return fields({ nodelay: "y", reason: verdict.reply });
}

/** checkpassword extra fields: "key=value" separated by TAB; values must hold no TAB or newline. */
function fields(values: Readonly<Record<string, string>>): string {
  const parts = Object.entries(values).map(([key, value]) => `${key}=${value.replace(/[\t\r\n]/g, " ")}`);
  return `OK\t${parts.join("\t")}`;
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
