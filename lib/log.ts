// One logger for the server. Lines are plain text with a level and an ISO time.
// Secrets must never be passed here; as a second line of defence, anything shaped like a bearer
// token, JWT, client secret value or password field is masked before it is written.

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold: Level = "info";
export function setLogLevel(level: Level): void {
  threshold = level;
}

const redactions: [RegExp, string][] = [
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, "[jwt]"],
  [/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, "$1[redacted]"],
  [/((?:password|secret|token|assertion|key)["']?\s*[:=]\s*["']?)[^"'\s,&}]{4,}/gi, "$1[redacted]"],
  [/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/gi, "$1[redacted]@"],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of redactions) out = out.replace(pattern, replacement);
  return out;
}

function write(level: Level, message: string, error?: unknown): void {
  if (order[level] < order[threshold]) return;
  let line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}`;
  if (error !== undefined) {
    const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    line += `\n${detail}`;
  }
  const stream = level === "error" || level === "warn" ? process.stderr : process.stdout;
  stream.write(redact(line) + "\n");
}

export const logDebug = (m: string) => write("debug", m);
export const logInfo = (m: string) => write("info", m);
export const logWarn = (m: string, e?: unknown) => write("warn", m, e);
export const logError = (m: string, e?: unknown) => write("error", m, e);
