// The outcome of one delivery attempt, as the delivery log keeps it: the receiver's or server's status code
// (HTTP for webhooks, SMTP/Graph for e-mail) and a short error in words. Never a secret.

export interface AttemptResult {
  ok: boolean;
  responseCode: number | null;
  error: string | null;
  /** False when trying again cannot help (no valid consent link any more, channel misconfigured). */
  retryable: boolean;
}

export const delivered = (responseCode: number | null): AttemptResult => ({ ok: true, responseCode, error: null, retryable: false });

export const failed = (error: string, responseCode: number | null = null, retryable = true): AttemptResult => ({
  ok: false,
  responseCode,
  error: error.slice(0, 500),
  retryable,
});

/** Words for a network failure from fetch / node:net, without the URL (its query may carry a key). */
export function describeNetworkError(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; message?: string } } | null;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return "no answer within the time limit";
  const code = e?.cause?.code ?? e?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "host name not found",
    EAI_AGAIN: "host name lookup failed (temporary)",
    ECONNRESET: "connection reset by the receiver",
    ETIMEDOUT: "connection timed out",
    EHOSTUNREACH: "host unreachable",
    UND_ERR_CONNECT_TIMEOUT: "connection timed out",
    UND_ERR_SOCKET: "the connection broke",
    CERT_HAS_EXPIRED: "the receiver's TLS certificate has expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: "the receiver's TLS certificate is self-signed (not trusted)",
    SELF_SIGNED_CERT_IN_CHAIN: "the receiver's TLS certificate is issued by an untrusted CA",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the receiver's TLS certificate could not be verified",
    ERR_TLS_CERT_ALTNAME_INVALID: "the receiver's TLS certificate is for another host name",
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  return code ? `network error (${code})` : "network error";
}
