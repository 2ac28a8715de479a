import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CLIENT_IP_HEADER } from "@/lib/audit/request-meta";

// Applied by our server to every request before Next sees it, so `npm start` and `npm run dev`
// behave alike. Next reads the nonce from the request's Content-Security-Policy header and puts it
// on its own scripts (the documented way; pages are rendered per request).

export interface HeaderPolicy {
  dev: boolean;
  secure: boolean;
  trustProxy: boolean;
}

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (charts, widths) are allowed; style injection cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    // Consent starts by a navigation to Microsoft, not by a form post, so forms stay on this origin.
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The client's address: the socket's, or the first X-Forwarded-For hop only behind a trusted proxy. */
export function clientIpOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return (req.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
}

export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, policy: HeaderPolicy): void {
  // Never let a client speak for us: our own header is always ours, forwarded ones only behind a trusted proxy.
  req.headers[CLIENT_IP_HEADER] = clientIpOf(req, policy.trustProxy);
  if (!policy.trustProxy) {
    delete req.headers["x-forwarded-for"];
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-proto"];
    delete req.headers["x-forwarded-port"];
  }
  const nonce = randomBytes(16).toString("base64");
  const csp = contentSecurityPolicy(nonce, policy.dev);
  req.headers["content-security-policy"] = csp;
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("X-Content-Type-Options", "nosniff");
  // OAuth codes and states travel in URLs; no page of ours hands its address to another site.
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  if (policy.secure) res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
}
