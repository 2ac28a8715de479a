import { AuthError, InteractionRequiredAuthError, ServerError } from "@azure/msal-node";
import { explainMicrosoftError, type MicrosoftErrorInput } from "@/lib/microsoft/aadsts-catalog";
import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";
import type { NetworkFailure } from "@/lib/microsoft/https-network-client";

// Turns what MSAL throws into the catalog's explanation. MSAL folds Microsoft's JSON into one message
// ("Error(s): 7000215 - Timestamp: … - Description: AADSTS7000215: … - Correlation ID: … - Trace ID: …");
// the fields are read back out of it. Only Microsoft's text is kept, never the request (which held the secret).

const MSAL_SERVER_MESSAGE = /^Error\(s\): (.*?) - Timestamp: (.*?) - Description: ([\s\S]*?) - Correlation ID: (\S*) - Trace ID: (\S*)\s*$/;
const NOT_AVAILABLE = "NA";

const present = (v: string | undefined): string | undefined => (v && v !== NOT_AVAILABLE ? v : undefined);

function fromServerError(error: AuthError): MicrosoftErrorInput {
  const m = MSAL_SERVER_MESSAGE.exec(error.errorMessage);
  const codes = (m?.[1] ?? "")
    .split(",")
    .map((c) => Number(c.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const errorNo = "errorNo" in error ? Number((error as { errorNo?: unknown }).errorNo) : NaN;
  const status = "status" in error && typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : undefined;
  const traceId = "traceId" in error && typeof (error as { traceId?: unknown }).traceId === "string" ? (error as { traceId: string }).traceId : undefined;
  const timestamp = "timestamp" in error && typeof (error as { timestamp?: unknown }).timestamp === "string" ? (error as { timestamp: string }).timestamp : undefined;
  return {
    error: error.errorCode || undefined,
    error_description: m ? m[3] : error.errorMessage,
    error_codes: codes.length > 0 ? codes : Number.isInteger(errorNo) && errorNo > 0 ? [errorNo] : undefined,
    status,
    trace_id: present(m?.[5]) ?? present(traceId),
    correlation_id: present(m?.[4]) ?? present(error.correlationId),
    timestamp: present(m?.[2]) ?? present(timestamp),
  };
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function fromHttpFailure(failure: Extract<NetworkFailure, { kind: "http" }>): MicrosoftErrorInput {
  const b = failure.body ?? {};
  const codes = Array.isArray(b["error_codes"]) ? b["error_codes"].filter((n): n is number => typeof n === "number") : undefined;
  const retryAfter = failure.headers["retry-after"];
  return {
    error: str(b["error"]),
    error_description: str(b["error_description"]),
    error_codes: codes,
    status: failure.status,
    trace_id: str(b["trace_id"]),
    correlation_id: str(b["correlation_id"]),
    timestamp: str(b["timestamp"]),
    retryAfterSeconds: retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined,
  };
}

/** The explanation for an error thrown by an MSAL call, using the network client's last failure where MSAL hid it. */
export function explainMsalError(error: unknown, lastFailure: NetworkFailure | null = null): ErrorExplanation {
  if (error instanceof ServerError || error instanceof InteractionRequiredAuthError || (error instanceof AuthError && /^Error\(s\): /.test(error.errorMessage))) {
    const input = fromServerError(error);
    if (lastFailure?.kind === "http" && input.retryAfterSeconds === undefined) {
      const retry = fromHttpFailure(lastFailure).retryAfterSeconds;
      if (retry !== undefined) input.retryAfterSeconds = retry;
    }
    return explainMicrosoftError(input);
  }
  if (lastFailure?.kind === "network") return explainMicrosoftError({ networkCode: lastFailure.code });
  if (lastFailure?.kind === "http") return explainMicrosoftError(fromHttpFailure(lastFailure));
  if (error instanceof AuthError) {
    // Client-side MSAL errors carry no Microsoft text; keep only the code (its message may describe the request).
    if (error.errorCode === "network_error") return explainMicrosoftError({ networkCode: "ECONNRESET" });
    return explainMicrosoftError({ error: error.errorCode, error_description: `MSAL reported ${error.errorCode}.` });
  }
  const code = typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
  return explainMicrosoftError({ networkCode: code });
}
