// A fetch() that trusts the stand-in CA, for processes started before the CA existed (Node reads
// NODE_EXTRA_CA_CERTS only at start-up, toolchain notes). Built on node:https; never follows
// redirects (tests look at each 302), returns a standard Response.
import https from "node:https";

export interface CaFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
  signal?: AbortSignal;
  /** Milliseconds before the request is aborted (for "hang" faults). */
  timeoutMs?: number;
}

export type CaFetch = (url: string | URL, init?: CaFetchInit) => Promise<Response>;

export function createCaFetch(caPem: string): CaFetch {
  const agent = new https.Agent({ ca: caPem, keepAlive: false });
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input.toString());
      const body = init.body instanceof URLSearchParams ? init.body.toString() : init.body;
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (init.body instanceof URLSearchParams && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
        headers["Content-Type"] = "application/x-www-form-urlencoded";
      }
      if (body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(body));
      const req = https.request(url, { method: init.method ?? (body !== undefined ? "POST" : "GET"), headers, agent, signal: init.signal, timeout: init.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) v.forEach((x) => h.append(k, x));
            else if (v !== undefined) h.set(k, v);
          }
          const status = res.statusCode ?? 500;
          const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, statusText: res.statusMessage ?? "", headers: h }));
        });
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`request to ${url.pathname} timed out after ${init.timeoutMs} ms`)));
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
}
