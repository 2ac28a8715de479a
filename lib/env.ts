import path from "node:path";
import { z } from "zod";

// The only module that reads process.env (STYLE.md). Everything else asks getEnv().
// Validation failures become one line naming the variable and what to do (see describeEnvError).

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORTAL_URL: z
    .url({ message: "must be an absolute URL such as https://mail-oauth.example.com" })
    .refine((u) => /^https?:\/\//.test(u), "must start with http:// or https://")
    .transform((u) => u.replace(/\/+$/, ""))
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORTAL_DATA_DIR: z.string().min(1).default("data"),
  DATABASE_URL: z
    .string()
    .refine(
      (u) => u.startsWith("file:") || u.startsWith("postgres://") || u.startsWith("postgresql://"),
      "must be file:<path> for SQLite or postgresql://user:pass@host:port/db for PostgreSQL",
    )
    .optional(),
  PORTAL_ENCRYPTION_KEY: z.string().optional(),
  PORTAL_ENCRYPTION_PREVIOUS_KEYS: z.string().optional(),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional(),
  TRUST_PROXY: booleanFlag,
  PORTAL_AUTO_MIGRATE: z.enum(["true", "false"]).optional(),
  ENTRA_SIGNIN_CLIENT_ID: z.string().optional(),
  ENTRA_SIGNIN_CLIENT_SECRET: z.string().optional(),
  ENTRA_SIGNIN_TENANT_ID: z.string().optional(),
  ENTRA_SIGNIN_LOGIN_HOST: z.string().default("login.microsoftonline.com"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Keep-alive sweep of idle delegated grants (lib/grants/keep-alive.ts); 0 turns it off. */
  PORTAL_KEEPALIVE_INTERVAL_MINUTES: z.coerce.number().min(0).max(1440).default(10),
  /** A delegated grant not refreshed for this long is refreshed by the sweep (reference §5: 90-day inactivity limit). */
  PORTAL_KEEPALIVE_IDLE_HOURS: z.coerce.number().int().min(1).max(24 * 60).default(24),
  // Health sweeps (lib/health): how often, how many checks at once, how long one may take, how the
  // start times spread over the interval, how long history is kept. 0 minutes turns sweeps off.
  HEALTH_SWEEP_INTERVAL_MINUTES: z.coerce.number().min(0).max(1440, "must be at most 1440 (one day); 0 turns sweeps off").default(15),
  HEALTH_SWEEP_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  HEALTH_CHECK_TIMEOUT_SECONDS: z.coerce.number().min(1).max(300).default(20),
  HEALTH_SWEEP_SPREAD_PERCENT: z.coerce.number().int().min(0).max(90).default(50),
  HEALTH_HISTORY_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Token API for other software (lib/api): default requests per minute per API key (a key may override
  // it); how often the in-memory key policies and mailbox entries are re-read (the bound on how long a
  // revoked key or a disconnected mailbox is still served by another instance); how often issuance
  // counts and last-use times are written.
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  API_CACHE_REFRESH_SECONDS: z.coerce.number().min(0.1).max(60).default(5),
  API_USAGE_FLUSH_SECONDS: z.coerce.number().min(0.1).max(300).default(5),
  /** Notifications (lib/notify): evaluated this often (and after each health sweep); 0 turns the job off. */
  NOTIFY_INTERVAL_MINUTES: z.coerce.number().min(0).max(1440, "must be at most 1440 (one day); 0 turns notifications off").default(5),
  /** Bearer token for /api/metrics and /api/health/mailboxes; unset: /api/metrics answers 404. */
  METRICS_TOKEN: z
    .union([z.literal(""), z.string().min(16, "must be at least 16 characters (openssl rand -hex 24)")])
    .optional()
    .transform((v) => v || undefined),
});

export type RawEnv = z.infer<typeof envSchema>;

export interface PortalEnv extends RawEnv {
  /** Absolute data directory. */
  dataDir: string;
  /** Public base URL, no trailing slash. */
  portalUrl: string;
  databaseUrl: string;
  databaseProvider: "sqlite" | "postgresql";
  /** True when the public URL is https: secure cookies and HSTS. */
  secureCookies: boolean;
  autoMigrate: boolean;
  entraSignIn: { clientId: string; clientSecret: string; tenantId: string; loginHost: string } | null;
}

export class EnvError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): PortalEnv {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    throw new EnvError(variable, `is invalid: ${issue.message}.`);
  }
  const raw = result.data;
  const dataDir = path.resolve(raw.PORTAL_DATA_DIR);
  const portalUrl = raw.PORTAL_URL ?? `http://localhost:${raw.PORT}`;
  const databaseUrl = raw.DATABASE_URL ?? `file:${path.join(dataDir, "portal.db")}`;
  const databaseProvider = databaseUrl.startsWith("file:") ? "sqlite" : "postgresql";
  const entra =
    raw.ENTRA_SIGNIN_CLIENT_ID || raw.ENTRA_SIGNIN_CLIENT_SECRET || raw.ENTRA_SIGNIN_TENANT_ID
      ? requireAll(raw)
      : null;
  return {
    ...raw,
    dataDir,
    portalUrl,
    databaseUrl,
    databaseProvider,
    secureCookies: portalUrl.startsWith("https://"),
    autoMigrate: raw.PORTAL_AUTO_MIGRATE ? raw.PORTAL_AUTO_MIGRATE === "true" : databaseProvider === "sqlite",
    entraSignIn: entra,
  };
}

function requireAll(raw: RawEnv): NonNullable<PortalEnv["entraSignIn"]> {
  for (const name of ["ENTRA_SIGNIN_CLIENT_ID", "ENTRA_SIGNIN_CLIENT_SECRET", "ENTRA_SIGNIN_TENANT_ID"] as const) {
    if (!raw[name]) {
      throw new EnvError(name, "is missing: Entra ID sign-in needs ENTRA_SIGNIN_CLIENT_ID, ENTRA_SIGNIN_CLIENT_SECRET and ENTRA_SIGNIN_TENANT_ID together (or none of them).");
    }
  }
  return {
    clientId: raw.ENTRA_SIGNIN_CLIENT_ID!,
    clientSecret: raw.ENTRA_SIGNIN_CLIENT_SECRET!,
    tenantId: raw.ENTRA_SIGNIN_TENANT_ID!,
    loginHost: raw.ENTRA_SIGNIN_LOGIN_HOST,
  };
}

let cached: PortalEnv | null = null;

/** The validated environment of this process, read once. */
export function getEnv(): PortalEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests and CLIs that change the environment after start. */
export function resetEnvForTests(): void {
  cached = null;
}

/**
 * next-auth 4 reads its public URL from NEXTAUTH_URL itself; the server sets it from PORTAL_URL
 * before Next starts so there is one place to configure the address.
 */
export function exportNextAuthUrl(env: PortalEnv): void {
  process.env.NEXTAUTH_URL = env.portalUrl;
}
