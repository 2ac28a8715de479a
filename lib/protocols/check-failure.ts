// The stage clock every adapter reports through, and the one error type adapters throw. Socket,
// DNS and TLS errors (the same for every protocol) are classified here; what a server said is
// classified by the adapter that understood it.
import type { CheckTimings, ErrorClass } from "./protocol-check";

export type CheckStage = "connect" | "tls" | "auth" | "operation";

/** What the catalog (lib/microsoft/aadsts-catalog.ts) is given to explain a failure. */
export interface FailureFacts {
  /** The server's words (a protocol reply line, an HTTP error message). */
  response?: string;
  /** A machine code: socket error code, Graph error code, EWS ResponseCode, SMTP enhanced status. */
  code?: string;
  /** A numeric status: HTTP status, SMTP reply code. */
  status?: number;
  /** An HTTP response body (Graph JSON, SOAP fault). */
  body?: string;
  /** HTTP response headers that explain a failure (x-ms-diagnostics, retry-after, request-id), lower-case names. */
  headers?: Record<string, string>;
}

export class CheckFailure extends Error {
  readonly stage: CheckStage;
  readonly errorClass: ErrorClass | undefined;
  readonly facts: FailureFacts;
  readonly diagnosis: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: { stage: CheckStage; errorClass?: ErrorClass; facts?: FailureFacts; diagnosis?: string; retryAfterSeconds?: number }) {
    // The message carries the class only: server texts may hold what must be redacted first.
    super(`check failed at ${init.stage}: ${init.errorClass ?? "unclassified"}`);
    this.name = "CheckFailure";
    this.stage = init.stage;
    this.errorClass = init.errorClass;
    this.facts = init.facts ?? {};
    this.diagnosis = init.diagnosis;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

const timingKey: Record<CheckStage, keyof CheckTimings> = {
  connect: "connectMs",
  tls: "connectMs",
  auth: "authMs",
  operation: "operationMs",
};

/** Measures the stages of one check; the current stage is where an unexpected error is reported. */
export class CheckClock {
  private readonly startedAt = performance.now();
  private stageStartedAt = this.startedAt;
  private finishedAt: number | undefined;
  private current: CheckStage = "connect";
  readonly timings: CheckTimings = {};

  get stage(): CheckStage {
    return this.current;
  }

  /** Closes the running stage's timing and starts `stage`. */
  enter(stage: CheckStage): void {
    if (this.finishedAt !== undefined) return;
    this.close(performance.now());
    this.current = stage;
  }

  finish(): void {
    if (this.finishedAt !== undefined) return;
    this.finishedAt = performance.now();
    this.close(this.finishedAt);
  }

  elapsedMs(): number {
    return Math.round((this.finishedAt ?? performance.now()) - this.startedAt);
  }

  private close(now: number): void {
    const key = timingKey[this.current];
    this.timings[key] = Math.round((this.timings[key] ?? 0) + (now - this.stageStartedAt));
    this.stageStartedAt = now;
  }
}

const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_TLS_HANDSHAKE_TIMEOUT",
  "EPROTO",
  "ETLS",
]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ETIMEOUT", "CONNECT_TIMEOUT", "GREETING_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT"]);
const REFUSED_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

/** Socket, DNS and TLS errors by their Node error code (also a library's `originalCode`). */
export function classifyTransportError(error: unknown): { errorClass: ErrorClass; stage: CheckStage; code: string; message: string } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { code?: unknown; originalCode?: unknown; message?: unknown };
  const message = typeof e.message === "string" ? e.message : "";
  for (const candidate of [e.originalCode, e.code]) {
    if (typeof candidate !== "string") continue;
    if (DNS_CODES.has(candidate)) return { errorClass: "dns_failed", stage: "connect", code: candidate, message };
    if (REFUSED_CODES.has(candidate)) return { errorClass: "connection_refused", stage: "connect", code: candidate, message };
    if (TIMEOUT_CODES.has(candidate)) return { errorClass: "timeout", stage: "connect", code: candidate, message };
    if (TLS_CODES.has(candidate) || candidate.startsWith("ERR_SSL_") || candidate.startsWith("ERR_TLS_")) return { errorClass: "tls_failed", stage: "tls", code: candidate, message };
  }
  if (/certificate|self[- ]signed|handshake|SSL routines|wrong version number/i.test(message)) return { errorClass: "tls_failed", stage: "tls", code: "TLS", message };
  return undefined;
}

/** Whatever an adapter or a library threw, as a CheckFailure. */
export function failureFromUnknown(error: unknown, stage: CheckStage): CheckFailure {
  if (error instanceof CheckFailure) return error;
  const transport = classifyTransportError(error);
  if (transport) {
    // A timeout keeps the stage it happened in; DNS, refusal and TLS say where they happen.
    const at = transport.errorClass === "timeout" ? stage : transport.stage;
    return new CheckFailure({ stage: at, errorClass: transport.errorClass, facts: { code: transport.code, response: transport.message } });
  }
  const e = typeof error === "object" && error !== null ? (error as { code?: unknown; message?: unknown }) : {};
  return new CheckFailure({
    stage,
    errorClass: "unknown",
    facts: {
      ...(typeof e.code === "string" ? { code: e.code } : {}),
      ...(typeof e.message === "string" ? { response: e.message } : { response: String(error) }),
    },
  });
}
