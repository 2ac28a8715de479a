import type { ServerResponse } from "node:http";

// Writing the token API's answers. JSON bodies arrive serialised (the token path keeps them ready as
// buffers), so sending is a writeHead and an end. Every answer is private and never cached.

export interface SecurityHeaderOptions {
  /** PORTAL_URL is https: send HSTS, as the portal's pages do. */
  secure: boolean;
}

export function baseHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    ...(options.secure ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

export function sendBody(res: ServerResponse, status: number, body: Buffer, contentType: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, "content-type": contentType, "content-length": String(body.length) });
  res.end(body);
}

export const JSON_TYPE = "application/json; charset=utf-8";
export const PROBLEM_TYPE = "application/problem+json; charset=utf-8";
