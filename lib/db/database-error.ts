import { type DatabaseTarget, InvalidDatabaseUrlError, scrubCredentials } from "@/lib/db/database-url";

// Everything that can go wrong between the portal and its database, reduced to one line a
// person can act on. The message never contains the password from DATABASE_URL: it is
// built from the parsed target's description, and driver text is scrubbed as well.

export type DatabaseErrorCode =
  | "invalid_url"
  | "unreachable"
  | "authentication_failed"
  | "database_not_found"
  | "access_denied"
  | "tls"
  | "sqlite_cannot_open"
  | "migration_failed"
  | "failed_migration_in_history"
  | "migration_in_progress"
  | "migrations_missing"
  | "unexpected";

export class DatabaseError extends Error {
  constructor(
    readonly code: DatabaseErrorCode,
    /** One line, safe to print or show to an administrator. Equal to `message`. */
    readonly safeMessage: string,
    options?: { cause?: unknown },
  ) {
    super(safeMessage, options);
    this.name = "DatabaseError";
  }
}

const checkUrl = "Check DATABASE_URL.";

interface ErrorFields {
  message: string;
  code?: string;
  errno?: number;
  kind?: string;
  causeKind?: string;
}

function fieldsOf(error: unknown): ErrorFields {
  if (typeof error !== "object" || error === null) return { message: String(error) };
  const record = error as Record<string, unknown>;
  // DriverAdapterError from @prisma/driver-adapter-utils carries the mapped error in `cause`.
  const cause = typeof record.cause === "object" && record.cause !== null ? (record.cause as Record<string, unknown>) : undefined;
  return {
    message: typeof record.message === "string" ? record.message : String(error),
    code: typeof record.code === "string" ? record.code : typeof cause?.originalCode === "string" ? cause.originalCode : typeof cause?.code === "string" ? cause.code : undefined,
    errno: typeof record.errno === "number" ? record.errno : undefined,
    kind: typeof cause?.kind === "string" ? cause.kind : undefined,
  };
}

/** First line of a driver or engine message, without credentials, trimmed to a sane length. */
export function firstLine(text: string, target?: DatabaseTarget): string {
  const line = scrubCredentials(text, target).split("\n").map((l) => l.trim()).find((l) => l.length > 0) ?? "unknown error";
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** Classifies a failure to connect to or query the database (driver errors, adapter errors). */
export function toDatabaseError(error: unknown, target: DatabaseTarget): DatabaseError {
  if (error instanceof DatabaseError) return error;
  if (error instanceof InvalidDatabaseUrlError) return new DatabaseError("invalid_url", error.message);
  const fields = fieldsOf(error);
  return target.provider === "postgresql" ? classifyPostgres(fields, target, error) : classifySqlite(fields, target, error);
}

function classifyPostgres(f: ErrorFields, target: Extract<DatabaseTarget, { provider: "postgresql" }>, cause: unknown): DatabaseError {
  const at = target.description.replace(/^PostgreSQL at /, "");
  const unreachable = (reason: string) =>
    new DatabaseError("unreachable", `Cannot reach PostgreSQL at ${at}: ${reason}. ${checkUrl}`, { cause });
  switch (f.code) {
    case "ECONNREFUSED":
      return unreachable("connection refused");
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return unreachable("host not found");
    case "ETIMEDOUT":
    case "ECONNRESET":
      return unreachable(f.code === "ETIMEDOUT" ? "connection timed out" : "connection reset");
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return unreachable("no route to host");
    case "28P01":
      return new DatabaseError("authentication_failed", `PostgreSQL at ${at} rejected the password for user "${target.user}". ${checkUrl}`, { cause });
    case "28000":
      return new DatabaseError("access_denied", `PostgreSQL at ${at} refused the connection for user "${target.user}" (pg_hba.conf or role). ${checkUrl}`, { cause });
    case "3D000":
      return new DatabaseError("database_not_found", `Database "${target.database}" does not exist on PostgreSQL at ${at}. Create it or ${checkUrl.toLowerCase()}`, { cause });
    case "42501":
      return new DatabaseError("access_denied", `User "${target.user}" lacks a privilege on database "${target.database}" at ${at}: ${firstLine(f.message, target)}`, { cause });
    case "53300":
      return unreachable("too many connections");
    case "57P03":
      return unreachable("the server is starting up or shutting down");
  }
  switch (f.kind) {
    case "DatabaseNotReachable":
      return unreachable("connection failed");
    case "AuthenticationFailed":
      return new DatabaseError("authentication_failed", `PostgreSQL at ${at} rejected the password for user "${target.user}". ${checkUrl}`, { cause });
    case "DatabaseDoesNotExist":
      return new DatabaseError("database_not_found", `Database "${target.database}" does not exist on PostgreSQL at ${at}. Create it or ${checkUrl.toLowerCase()}`, { cause });
    case "DatabaseAccessDenied":
      return new DatabaseError("access_denied", `User "${target.user}" may not use database "${target.database}" at ${at}. ${checkUrl}`, { cause });
    case "TlsConnectionError":
      return new DatabaseError("tls", `TLS connection to PostgreSQL at ${at} failed: ${firstLine(f.message, target)}. ${checkUrl}`, { cause });
  }
  if (/ssl|tls|certificate/i.test(f.message)) {
    return new DatabaseError("tls", `TLS connection to PostgreSQL at ${at} failed: ${firstLine(f.message, target)}. ${checkUrl}`, { cause });
  }
  if (/timeout exceeded when trying to connect|Connection terminated/i.test(f.message)) return unreachable("connection timed out");
  return new DatabaseError("unexpected", `PostgreSQL at ${at}: ${firstLine(f.message, target)}`, { cause });
}

function classifySqlite(f: ErrorFields, target: Extract<DatabaseTarget, { provider: "sqlite" }>, cause: unknown): DatabaseError {
  if (f.code !== undefined && ["EACCES", "EPERM", "EROFS", "ENOTDIR", "EEXIST", "ENOSPC"].includes(f.code)) {
    return new DatabaseError("sqlite_cannot_open", `Cannot create the directory for ${target.description}: ${firstLine(f.message)}. Check DATABASE_URL or PORTAL_DATA_DIR.`, { cause });
  }
  if (/SQLITE_CANTOPEN|unable to open database|SQLITE_READONLY|readonly database|SQLITE_NOTADB|not a database/i.test(f.message)) {
    return new DatabaseError("sqlite_cannot_open", `Cannot open ${target.description}: ${firstLine(f.message)}. Check DATABASE_URL or PORTAL_DATA_DIR and the file's permissions.`, { cause });
  }
  return new DatabaseError("unexpected", `${target.description}: ${firstLine(f.message)}`, { cause });
}
