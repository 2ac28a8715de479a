import type { CatalogEntry } from "@/lib/microsoft/error-explanation";

// HTTP status and network failures, shared by token requests and every mail protocol.

export const transportEntries = {
  throttled: {
    code: "http_429",
    title: "Throttled",
    explanation: "The server asked the portal to slow down (HTTP 429 or a busy reply).",
    fix: "The portal waits as long as the server asks (Retry-After) and tries again; nothing to do unless it persists.",
    actor: "retry",
    permanent: false,
    errorClass: "throttled",
  },
  server: {
    code: "http_5xx",
    title: "Microsoft service error",
    explanation: "The server answered with an internal error (HTTP 5xx).",
    fix: "The portal retries with backoff; the mailbox keeps working while its current token lasts.",
    actor: "retry",
    permanent: false,
    errorClass: "server",
  },
  timeout: {
    code: "timeout",
    title: "No answer in time",
    explanation: "The server did not answer within the time limit.",
    fix: "The portal retries with backoff. If it persists, check the host, port and the server's outbound firewall.",
    actor: "retry",
    permanent: false,
    errorClass: "timeout",
  },
  dns: {
    code: "dns_failure",
    title: "Host name not found",
    explanation: "The host name could not be resolved (DNS).",
    fix: "The portal retries in case DNS is briefly down. If it persists, check the host name in the mailbox or cloud settings and the server's DNS.",
    actor: "retry",
    permanent: false,
    errorClass: "dns",
  },
  connectionRefused: {
    code: "connection_refused",
    title: "Connection refused",
    explanation: "Nothing accepted the connection on this host and port.",
    fix: "Check the port (IMAP 993, POP3 995, SMTP 587) and host; a firewall may block outbound connections. The portal retries meanwhile.",
    actor: "retry",
    permanent: false,
    errorClass: "connection_refused",
  },
  network: {
    code: "network_error",
    title: "Connection lost",
    explanation: "The connection was reset or the network was unreachable.",
    fix: "The portal retries with backoff; nothing to do unless it persists.",
    actor: "retry",
    permanent: false,
    errorClass: "network",
  },
  tls: {
    code: "tls_failure",
    title: "Secure connection failed",
    explanation:
      "The TLS handshake failed or the server's certificate was not trusted: a wrong security setting for the port (TLS vs STARTTLS), a proxy that intercepts TLS, or a custom cloud whose CA the portal was not given.",
    fix: "Use TLS on 993/995 and STARTTLS on 587. For a custom cloud, paste its CA certificate in the cloud settings; behind an intercepting proxy, give the portal the proxy's CA.",
    actor: "portal_operator",
    permanent: true,
    errorClass: "tls",
  },
  unknown: {
    code: "unknown",
    title: "Unexpected answer",
    explanation: "The server answered in a way the portal does not recognise.",
    fix: "The portal retries with backoff. If it persists, report it with the reply shown here and the trace IDs.",
    actor: "retry",
    permanent: false,
    errorClass: "unknown",
  },
} satisfies Record<string, CatalogEntry>;

const TLS_CODE = /^(?:CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO_SELF_SIGNED|EPROTO$|HOSTNAME_MISMATCH)/;

/** A Node/system error code (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED, …) to its entry, or null. */
export function transportEntryForCode(code: string | undefined): CatalogEntry | null {
  if (!code) return null;
  if (TLS_CODE.test(code)) return transportEntries.tls;
  switch (code) {
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return transportEntries.dns;
    case "ECONNREFUSED":
      return transportEntries.connectionRefused;
    case "ETIMEDOUT":
    case "ESOCKETTIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
    case "UND_ERR_HEADERS_TIMEOUT":
    case "ABORT_ERR":
    case "TimeoutError":
      return transportEntries.timeout;
    case "ECONNRESET":
    case "EPIPE":
    case "ECONNABORTED":
    case "ENETUNREACH":
    case "EHOSTUNREACH":
    case "ENETDOWN":
    case "UND_ERR_SOCKET":
      return transportEntries.network;
    default:
      return null;
  }
}

export function transportEntryForStatus(status: number | undefined): CatalogEntry | null {
  if (status === 429) return transportEntries.throttled;
  if (status !== undefined && status >= 500 && status <= 599) return transportEntries.server;
  return null;
}
