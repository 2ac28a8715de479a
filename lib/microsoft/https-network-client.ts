import https from "node:https";
import tls from "node:tls";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";

// MSAL's system.networkClient over node:https. It trusts an extra CA for a custom cloud (a local HTTPS
// stand-in) without touching the whole process (NODE_EXTRA_CA_CERTS is read once, process-wide), and it
// remembers the last failure, because MSAL replaces network errors and failed discovery answers with
// generic errors of its own.

export type NetworkFailure =
  | { kind: "network"; code: string }
  | { kind: "http"; status: number; body: Record<string, unknown> | null; headers: Record<string, string> };

export interface TrackingNetworkClient extends INetworkModule {
  lastFailure(): NetworkFailure | null;
}

export interface NetworkClientOptions {
  /** PEM of an extra CA to trust besides the public roots (custom cloud). */
  trustedCaPem?: string | null;
  /** Per-request time limit; default 30 s. */
  timeoutMs?: number;
}

function headersOf(raw: import("node:http").IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

export function createHttpsNetworkClient(options: NetworkClientOptions = {}): TrackingNetworkClient {
  const extraCa = options.trustedCaPem?.trim();
  // Passing `ca` replaces Node's default list, so the public roots are added back.
  const agent = new https.Agent({ keepAlive: false, ...(extraCa ? { ca: [...tls.rootCertificates, extraCa] } : {}) });
  const defaultTimeout = options.timeoutMs ?? 30_000;
  let last: NetworkFailure | null = null;

  function send<T>(url: string, method: "GET" | "POST", request: NetworkRequestOptions | undefined, timeoutMs: number | undefined): Promise<NetworkResponse<T>> {
    return new Promise((resolve, reject) => {
      const body = method === "POST" ? (request?.body ?? "") : undefined;
      const headers: Record<string, string> = { ...(request?.headers ?? {}) };
      if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
      const req = https.request(url, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (e: NodeJS.ErrnoException) => {
          last = { kind: "network", code: e.code ?? "ECONNRESET" };
          reject(e);
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const responseHeaders = headersOf(res.headers);
          let parsed: Record<string, unknown> | null = null;
          try {
            const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            if (typeof value === "object" && value !== null && !Array.isArray(value)) parsed = value as Record<string, unknown>;
          } catch {
            parsed = null;
          }
          if (status >= 400 || parsed === null) last = { kind: "http", status, body: parsed, headers: responseHeaders };
          resolve({ headers: responseHeaders, status, body: (parsed ?? {}) as T });
        });
      });
      req.setTimeout(timeoutMs ?? defaultTimeout, () => {
        req.destroy(Object.assign(new Error("The request timed out."), { code: "ETIMEDOUT" }));
      });
      req.on("error", (e: NodeJS.ErrnoException) => {
        last = { kind: "network", code: e.code ?? "ECONNRESET" };
        reject(e);
      });
      req.end(body);
    });
  }

  return {
    sendGetRequestAsync: <T>(url: string, request?: NetworkRequestOptions, timeout?: number) => send<T>(url, "GET", request, timeout),
    sendPostRequestAsync: <T>(url: string, request?: NetworkRequestOptions) => send<T>(url, "POST", request, undefined),
    lastFailure: () => last,
  };
}
