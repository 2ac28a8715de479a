// One HTTPS request on a fresh connection (no pooling: a check measures its own connect), with an
// extra CA for this request only, a deadline and a bounded body. Node's global fetch cannot take a
// per-request CA without the undici package, so Graph and EWS go through node:https.
import https from "node:https";
import net from "node:net";
import type tls from "node:tls";
import { tlsOptions } from "./tls-trust";

export interface HttpsRequestOptions {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  trustedCaPem?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once the TLS handshake is done (end of the connect stage). */
  onConnected?: () => void;
}

export interface HttpsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export function httpsRequest(options: HttpsRequestOptions): Promise<HttpsResponse> {
  const url = new URL(options.url);
  if (url.protocol !== "https:") return Promise.reject(Object.assign(new Error("only https:// URLs are allowed"), { code: "ERR_INVALID_PROTOCOL" }));
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise<HttpsResponse>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, response?: HttpsResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(response!);
    };
    const timeoutError = (): Error => Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: "ETIMEDOUT" });
    const onAbort = (): void => finish(timeoutError());
    const timer = setTimeout(onAbort, options.timeoutMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(options.body));
    const req = https.request({
      protocol: "https:",
      hostname,
      port: url.port ? Number(url.port) : 443,
      path: `${url.pathname}${url.search}`,
      method: options.method,
      headers,
      agent: false,
      ...tlsOptions(options.trustedCaPem),
      ...(net.isIP(hostname) ? {} : { servername: hostname }),
    });
    req.on("socket", (socket) => {
      (socket as tls.TLSSocket).once("secureConnect", () => options.onConnected?.());
    });
    req.on("error", (e) => finish(e));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          finish(Object.assign(new Error("response body too large"), { code: "EBODYTOOLARGE" }));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", (e) => finish(e));
      res.on("end", () => {
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
        }
        finish(undefined, { status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.end(options.body);
  });
}
