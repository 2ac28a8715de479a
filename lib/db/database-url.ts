import path from "node:path";
import { fileURLToPath } from "node:url";

// DATABASE_URL parsed once into what the drivers need, plus a description that is safe to
// print: it names the host, port and database but never the user's password.

export type DatabaseProvider = "sqlite" | "postgresql";

export interface SqliteTarget {
  provider: "sqlite";
  /** Absolute path of the database file. */
  filePath: string;
  /** "SQLite database /abs/path/portal.db" */
  description: string;
}

export interface PostgresTarget {
  provider: "postgresql";
  /** The URL as given, with credentials: only for handing to the driver. */
  connectionString: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** Kept so messages can be scrubbed of it even where a driver echoes it. */
  password: string;
  /** Prisma's `?schema=` parameter; null means the server's default search path (public). */
  schema: string | null;
  /** "PostgreSQL at db.example.com:5432" */
  description: string;
}

export type DatabaseTarget = SqliteTarget | PostgresTarget;

export class InvalidDatabaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidDatabaseUrlError";
  }
}

/**
 * Parses DATABASE_URL. Relative SQLite paths are resolved against the working directory,
 * which is the project root for every npm script.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith("file:")) return parseSqliteUrl(url);
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return parsePostgresUrl(url);
  throw new InvalidDatabaseUrlError(
    "DATABASE_URL must be file:<path> for SQLite or postgresql://user:password@host:port/database for PostgreSQL.",
  );
}

function parseSqliteUrl(url: string): SqliteTarget {
  let filePath: string;
  if (url.startsWith("file://")) {
    try {
      filePath = fileURLToPath(url.replace(/\?.*$/, ""));
    } catch {
      throw new InvalidDatabaseUrlError(
        "DATABASE_URL is not a valid SQLite file URL: use file:/absolute/path.db, file:///absolute/path.db or file:relative/path.db.",
      );
    }
  } else {
    filePath = url.slice("file:".length).replace(/\?.*$/, "");
  }
  if (filePath === "" || filePath === ":memory:") {
    throw new InvalidDatabaseUrlError("DATABASE_URL must name a SQLite database file (file:<path>); in-memory databases are not supported.");
  }
  const absolute = path.resolve(filePath);
  return { provider: "sqlite", filePath: absolute, description: `SQLite database ${absolute}` };
}

function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL itself may hold the password: say what is wrong without echoing it.
    throw new InvalidDatabaseUrlError(
      "DATABASE_URL is not a valid PostgreSQL URL (expected postgresql://user:password@host:port/database; percent-encode special characters in the password).",
    );
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") throw new InvalidDatabaseUrlError("DATABASE_URL has no host (expected postgresql://user:password@host:port/database).");
  const port = parsed.port === "" ? 5432 : Number(parsed.port);
  const database = safeDecode(parsed.pathname.replace(/^\//, ""));
  if (database === "") throw new InvalidDatabaseUrlError("DATABASE_URL names no database (expected postgresql://user:password@host:port/database).");
  const schema = parsed.searchParams.get("schema");
  return {
    provider: "postgresql",
    connectionString: url,
    host,
    port,
    database,
    user: safeDecode(parsed.username),
    password: safeDecode(parsed.password),
    schema: schema === null || schema === "" ? null : schema,
    description: `PostgreSQL at ${host.includes(":") ? `[${host}]` : host}:${port}`,
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Removes credentials from text that may quote a connection string or the password itself
 * (driver messages, stack traces). A second line of defence: messages are built without them.
 */
export function scrubCredentials(text: string, target?: DatabaseTarget): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/)[^@\s/]*@/gi, "$1***@");
  if (target?.provider === "postgresql" && target.password.length > 0) {
    out = out.split(target.password).join("***");
    const encoded = encodeURIComponent(target.password);
    if (encoded !== target.password) out = out.split(encoded).join("***");
  }
  return out;
}
