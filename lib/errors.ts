import { randomUUID } from "node:crypto";
import { logError } from "@/lib/log";

// An AppError carries a stable code and a message written for the person who caused it.
// Anything else is a bug or an outage: logged server-side, shown as a generic failure with a reference ID.

export const appErrorCodes = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  setup_required: 409,
  unavailable: 503,
} as const;

export type AppErrorCode = keyof typeof appErrorCodes;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: AppErrorCode,
    /** Safe to show to the user: no secrets, no internals. */
    readonly safeMessage: string,
    readonly fieldErrors?: Record<string, string>,
    readonly retryAfterSeconds?: number,
    /** Messages beside fields that do not block saving (shown with the errors). */
    readonly fieldWarnings?: Record<string, string>,
  ) {
    super(safeMessage);
    this.name = "AppError";
    this.status = appErrorCodes[code];
  }
}

export interface PublicError {
  code: AppErrorCode | "internal";
  message: string;
  fieldErrors?: Record<string, string>;
  fieldWarnings?: Record<string, string>;
  reference?: string;
}

/** Turns any thrown value into what may be shown to the user; logs the unexpected ones. */
export function toPublicError(error: unknown, context: string): PublicError & { status: number } {
  if (error instanceof AppError) {
    return { code: error.code, message: error.safeMessage, fieldErrors: error.fieldErrors, fieldWarnings: error.fieldWarnings, status: error.status };
  }
  const reference = randomUUID().slice(0, 8);
  logError(`${context} failed (reference ${reference})`, error);
  return {
    code: "internal",
    message: `Something went wrong on the server. The administrator can find the details in the portal's log under reference ${reference}.`,
    reference,
    status: 500,
  };
}
