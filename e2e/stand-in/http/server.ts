// A small HTTPS server with a regex router, shared by the identity, Graph and EWS listeners.
// Each request gets Microsoft-style trace/correlation IDs and a record in the request log.
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { newGuid } from "../crypto/ids";
import type { RequestLog, RequestRecord, ServiceName } from "../request-log";

const MAX_BODY_BYTES = 1024 * 1024;

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  service: ServiceName;
  /** trace_id of Microsoft's responses; correlation_id echoes client-request-id when the client sent one. */
  traceId: string;
  correlationId: string;
  /** Fields handlers fill in (endpoint, grant type, client, tenant, user) for the request log. */
  record: RequestRecord;
  text(): Promise<string>;
  form(): Promise<URLSearchParams>;
  cookie(name: string): string | undefined;
  /** Leave the request unanswered until the client gives up (or the stand-in stops). */
  hang(): void;
}

export type RouteHandler = (ctx: RequestContext, match: RegExpExecArray) => Promise<void>;

export interface Route {
  methods: string[];
  pattern: RegExp;
  handler: RouteHandler;
}

export function route(methods: string | string[], pattern: RegExp, handler: RouteHandler): Route {
  return { methods: Array.isArray(methods) ? methods : [methods], pattern, handler };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface StartedServer {
  server: https.Server;
  port: number;
  close(): Promise<void>;
}

export interface ServerOptions {
  service: ServiceName;
  tls: { certPem: string; keyPem: string };
  host: string;
  port: number;
  routes: Route[];
  log: RequestLog;
  /** Called for unmatched paths. */
  notFound(ctx: RequestContext): Promise<void>;
  onError(ctx: RequestContext, error: unknown): Promise<void>;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, "request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function createContext(service: ServiceName, req: IncomingMessage, res: ServerResponse, log: RequestLog, hung: Set<Socket>): RequestContext {
  const url = new URL(req.url ?? "/", "https://stand-in.localhost");
  const clientRequestId = req.headers["client-request-id"];
  const correlationId = typeof clientRequestId === "string" && clientRequestId.length <= 100 ? clientRequestId : newGuid();
  let bodyPromise: Promise<string> | undefined;
  const cookies = parseCookies(req.headers.cookie);
  const record = log.start(service, req.method ?? "GET", url.pathname);
  res.on("finish", () => log.finish(record, res.statusCode));
  const text = (): Promise<string> => (bodyPromise ??= readBody(req));
  return {
    req,
    res,
    url,
    method: (req.method ?? "GET").toUpperCase(),
    service,
    traceId: newGuid(),
    correlationId,
    record,
    text,
    form: async () => new URLSearchParams(await text()),
    cookie: (name) => cookies.get(name),
    hang: () => {
      hung.add(req.socket);
      req.socket.once("close", () => hung.delete(req.socket));
    },
  };
}

export async function startServer(opts: ServerOptions): Promise<StartedServer> {
  const hung = new Set<Socket>();
  const server = https.createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, (req, res) => {
    const ctx = createContext(opts.service, req, res, opts.log, hung);
    void dispatch(ctx).catch(async (error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      await opts.onError(ctx, error).catch(() => res.destroy());
    });
  });
  async function dispatch(ctx: RequestContext): Promise<void> {
    for (const r of opts.routes) {
      const match = r.pattern.exec(ctx.url.pathname);
      if (!match) continue;
      if (!r.methods.includes(ctx.method)) continue;
      await r.handler(ctx, match);
      return;
    }
    await opts.notFound(ctx);
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of hung) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(ctx: RequestContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  ctx.res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(payload),
    ...headers,
  });
  ctx.res.end(payload);
}

export function sendText(ctx: RequestContext, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), ...headers });
  ctx.res.end(body);
}

export function sendHtml(ctx: RequestContext, status: number, html: string, headers: Record<string, string> = {}): void {
  sendText(ctx, status, "text/html; charset=utf-8", html, { "Cache-Control": "no-store, no-cache", ...headers });
}

export function redirect(ctx: RequestContext, location: string, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(302, { Location: location, "Content-Length": 0, "Cache-Control": "no-store, no-cache", ...headers });
  ctx.res.end();
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
