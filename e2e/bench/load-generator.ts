import http from "node:http";
import { summarize } from "./stats";

// A small HTTP load generator for the benchmarks: `connections` keep-alive connections, each sending its
// next request when the previous answer has been read, until the time or the request budget is used up.
// Loopback only (it refuses any other host), bounded in count and time.

export interface LoadOptions {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  /** Upper bound on requests, whatever the duration. */
  maxRequests: number;
}

export interface LoadResult {
  connections: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  statuses: Record<string, number>;
  latencyMs: ReturnType<typeof summarize>;
  bytesPerResponse: number;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`The load generator only targets loopback, not ${url.hostname}.`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let bytes = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const once = () =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request(url, { method: options.method ?? "GET", agent, headers: options.headers }, (res) => {
        let size = 0;
        res.on("data", (chunk: Buffer) => (size += chunk.length));
        res.on("end", () => {
          latencies.push(performance.now() - t0);
          statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
          bytes = size;
          resolve();
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });

  const worker = async () => {
    while (performance.now() < deadline && issued < options.maxRequests) {
      issued++;
      await once();
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    connections: options.connections,
    requests: latencies.length,
    seconds: Math.round(seconds * 100) / 100,
    requestsPerSecond: Math.round(latencies.length / seconds),
    statuses,
    latencyMs: summarize(latencies),
    bytesPerResponse: bytes,
  };
}

/** `count` requests at once, each on its own connection: a storm. */
export async function runBurst(options: { url: string; method?: "GET" | "POST"; headers?: Record<string, string>; count: number }): Promise<{ statuses: Record<string, number>; bodies: string[]; ms: number }> {
  const url = new URL(options.url);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`The load generator only targets loopback, not ${url.hostname}.`);
  const agent = new http.Agent({ keepAlive: false, maxSockets: options.count });
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const bodies = await Promise.all(
    Array.from(
      { length: options.count },
      () =>
        new Promise<string>((resolve, reject) => {
          const req = http.request(url, { method: options.method ?? "GET", agent, headers: options.headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
              resolve(Buffer.concat(chunks).toString("utf8"));
            });
          });
          req.on("error", reject);
          req.end();
        }),
    ),
  );
  agent.destroy();
  return { statuses, bodies, ms: Math.round(performance.now() - started) };
}
