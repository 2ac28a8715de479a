import type { CatalogEntry, ErrorExplanation } from "@/lib/microsoft/error-explanation";
import { aadstsEntries, oauthErrorEntries, tenantRequiredEntry } from "@/lib/microsoft/identity-error-entries";
import { psQuote } from "@/lib/microsoft/powershell-quoting";
import { protocolEntries, protocolRules, type ProtocolSignals } from "@/lib/microsoft/protocol-error-entries";
import type { Protocol } from "@/lib/microsoft/protocols";
import { transportEntries, transportEntryForCode, transportEntryForStatus } from "@/lib/microsoft/transport-error-entries";

// The one catalog of explanations: identity platform errors (consent, refresh, admin consent, credential
// checks), mail-protocol failures and network failures. Reference §6: branch on `error`, show
// `error_description`, log `error_codes` (Microsoft may change them), keep trace and correlation IDs.

/** Every entry, for listings and tests. */
export const errorCatalog: readonly CatalogEntry[] = [
  ...Object.values(aadstsEntries),
  ...Object.values(oauthErrorEntries),
  tenantRequiredEntry,
  ...Object.values(protocolEntries),
  ...Object.values(transportEntries),
];

export interface MicrosoftErrorInput {
  error?: string;
  error_description?: string;
  error_codes?: number[];
  status?: number;
  trace_id?: string;
  correlation_id?: string;
  timestamp?: string;
  /** Node/system error code of a failed request (ENOTFOUND, ETIMEDOUT, CERT_HAS_EXPIRED, …). */
  networkCode?: string;
  /** Retry-After in seconds, when the response had one. */
  retryAfterSeconds?: number;
}

const AADSTS = /\bAADSTS(\d{4,9})\b/;
const TRACE_LINE = /^\s*(Trace ID|Correlation ID|Timestamp)\s*:\s*(.+?)\s*$/i;
const MAX_MESSAGE = 1000;
// A reply should never echo a token, but if a caller passes one along, it must not reach the page.
const TOKEN_LIKE = /[A-Za-z0-9+/_=.-]{200,}/g;

function safeText(text: string): string {
  const cleaned = text.replace(TOKEN_LIKE, "[redacted]");
  return cleaned.length > MAX_MESSAGE ? `${cleaned.slice(0, MAX_MESSAGE)}…` : cleaned;
}

/** Microsoft's description without its Trace ID / Correlation ID / Timestamp lines, and those values. */
export function splitErrorDescription(description: string): { message: string; traceId?: string; correlationId?: string; timestamp?: string } {
  const out: { message: string; traceId?: string; correlationId?: string; timestamp?: string } = { message: "" };
  const kept: string[] = [];
  for (const line of description.split(/\r?\n/)) {
    const m = TRACE_LINE.exec(line);
    if (!m) {
      kept.push(line);
      continue;
    }
    const label = m[1]!.toLowerCase();
    if (label === "trace id") out.traceId = m[2];
    else if (label === "correlation id") out.correlationId = m[2];
    else out.timestamp = m[2];
  }
  out.message = safeText(kept.join("\n").trim());
  return out;
}

export function aadstsNumberOf(input: Pick<MicrosoftErrorInput, "error_codes" | "error_description">): number | undefined {
  const first = input.error_codes?.find((n) => Number.isInteger(n));
  if (first !== undefined) return first;
  const m = input.error_description ? AADSTS.exec(input.error_description) : null;
  return m ? Number(m[1]) : undefined;
}

function fillFix(fix: string, mailbox: string | undefined): string {
  return fix.replaceAll("{mailbox}", mailbox ? psQuote(mailbox) : "<mailbox>");
}

function toExplanation(entry: CatalogEntry, extra: Partial<ErrorExplanation> & { mailbox?: string }): ErrorExplanation {
  const { mailbox, ...rest } = extra;
  const out: ErrorExplanation = {
    code: entry.code,
    title: entry.title,
    explanation: entry.explanation,
    fix: fillFix(entry.fix, mailbox),
    actor: entry.actor,
    permanent: entry.permanent,
    errorClass: entry.errorClass,
    ...(entry.grantState ? { grantState: entry.grantState } : {}),
  };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined && v !== "") Object.assign(out, { [k]: v });
  return out;
}

/**
 * Explains an error answer of the identity platform (token endpoint JSON, authorize or admin-consent redirect
 * parameters) or a failed request to it. Order: the AADSTS number (error_codes, or "AADSTSnnnn:" in the
 * description), then the network failure, then HTTP 429/5xx, then the OAuth `error` string.
 */
export function explainMicrosoftError(input: MicrosoftErrorInput): ErrorExplanation {
  const parts = input.error_description ? splitErrorDescription(input.error_description) : { message: "" };
  const ids = {
    microsoftMessage: parts.message || undefined,
    traceId: input.trace_id ?? parts.traceId,
    correlationId: input.correlation_id ?? parts.correlationId,
    timestamp: input.timestamp ?? parts.timestamp,
    retryAfterSeconds: input.retryAfterSeconds,
  };
  const number = aadstsNumberOf(input);
  const byNumber = number !== undefined ? aadstsEntries[number] : undefined;
  if (byNumber) return toExplanation(byNumber, ids);

  const byNetwork = transportEntryForCode(input.networkCode);
  if (byNetwork) return toExplanation(byNetwork, ids);

  const byError = input.error === "missing_tenant_id_error" ? tenantRequiredEntry : input.error ? oauthErrorEntries[input.error] : undefined;
  // An unknown code keeps its number, so logs and support can find it, with the guidance of its error string.
  const code = number !== undefined ? `AADSTS${number}` : undefined;
  const byStatus = transportEntryForStatus(input.status);
  if (byStatus && (!byError || !byError.permanent)) return toExplanation(byStatus, { ...ids, ...(code ? { code } : {}) });
  if (byError) return toExplanation(byError, { ...ids, ...(code ? { code } : {}) });
  return toExplanation(transportEntries.unknown, { ...ids, ...(code ? { code } : {}) });
}

export interface ProtocolErrorInput {
  /** The server's reply line(s), e.g. "A1 NO AUTHENTICATE failed." or "535 5.7.139 …". */
  response?: string;
  /** Node/system error code (ENOTFOUND, ECONNREFUSED, ETIMEDOUT, CERT_HAS_EXPIRED, …) or a client library's code. */
  code?: string;
  /** HTTP status (Graph, EWS). */
  status?: number;
  /** HTTP body (Graph JSON, EWS SOAP). */
  body?: string;
  /** HTTP response headers (lower-case names): request-id, client-request-id, x-ms-diagnostics, retry-after. */
  headers?: Record<string, string | undefined>;
  /** The mailbox, to fill it into the fix (e.g. the Set-CASMailbox command). */
  mailbox?: string;
}

const EWS_CODE = /<(?:\w+:)?(?:ResponseCode|faultcode)>(?:\w+:)?(Error\w+)<\//;
const EWS_BACKOFF = /<(?:\w+:)?BackOffMilliseconds>(\d+)</;

function graphErrorOf(body: string | undefined): { code?: string; message?: string; requestId?: string; clientRequestId?: string; date?: string } {
  if (!body) return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null || !("error" in parsed)) return {};
    const error = (parsed as { error: unknown }).error;
    if (typeof error !== "object" || error === null) return {};
    const e = error as Record<string, unknown>;
    const inner = (typeof e["innerError"] === "object" && e["innerError"] !== null ? e["innerError"] : {}) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
    return { code: str(e["code"]), message: str(e["message"]), requestId: str(inner["request-id"]), clientRequestId: str(inner["client-request-id"]), date: str(inner["date"]) };
  } catch {
    return {};
  }
}

function retryAfterOf(headers: ProtocolErrorInput["headers"], body: string | undefined): number | undefined {
  const header = headers?.["retry-after"];
  if (header && /^\d+$/.test(header.trim())) return Number(header.trim());
  const backoff = body ? EWS_BACKOFF.exec(body) : null;
  return backoff ? Math.ceil(Number(backoff[1]) / 1000) : undefined;
}

/**
 * Explains a failure of a mail protocol (or of the network under it) with the same catalog. An AADSTS error
 * that reaches here (a token request made for this protocol) is explained as an identity error.
 */
export function classifyProtocolError(protocol: Protocol, input: ProtocolErrorInput): ErrorExplanation {
  const text = [input.response, input.body].filter((t): t is string => typeof t === "string" && t !== "").join("\n");
  const retryAfterSeconds = retryAfterOf(input.headers, input.body);
  const graph = protocol === "graph" ? graphErrorOf(input.body) : {};
  const ids = {
    mailbox: input.mailbox,
    microsoftMessage: safeText(graph.message ?? text.trim()) || undefined,
    traceId: graph.requestId ?? input.headers?.["request-id"],
    correlationId: graph.clientRequestId ?? input.headers?.["client-request-id"],
    timestamp: graph.date,
    retryAfterSeconds,
  };

  const network = transportEntryForCode(input.code);
  if (network) return toExplanation(network, ids);
  if (AADSTS.test(text)) return explainMicrosoftError({ error_description: text, status: input.status });

  const signals: ProtocolSignals = {
    text,
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(graph.code ? { graphCode: graph.code } : {}),
    ...(graph.message ? { graphMessage: graph.message } : {}),
    ...(protocol === "ews" && input.body ? { ewsCode: EWS_CODE.exec(input.body)?.[1] } : {}),
    ...(input.headers?.["x-ms-diagnostics"] ? { diagnostics: input.headers["x-ms-diagnostics"] } : {}),
  };
  const rule = protocolRules.find((r) => r.protocols.includes(protocol) && r.matches(signals));
  if (rule) return toExplanation(rule.entry, ids);

  const byStatus = transportEntryForStatus(input.status) ?? (/\b(?:throttl|too many)/i.test(text) ? transportEntries.throttled : null);
  if (byStatus) return toExplanation(byStatus, ids);
  return toExplanation(transportEntries.unknown, ids);
}
