import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { inactivityDaysLeft } from "@/lib/mailboxes/connection-view";
import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";

// The token status board: every mailbox with its grant's state, account, expiries and last error.
// Paged in the database; the only per-row data beyond the grant are the app's credential expiry and
// the earliest access-token expiry.

export const grantStateFilterSchema = z.enum(["all", "not_connected", "active", "needs_consent", "credential_invalid", "app_missing", "blocked_by_policy", "failing"]);

export const tokenStatusQuerySchema = z.object({
  state: grantStateFilterSchema.catch("all").default("all"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type TokenStatusQuery = z.infer<typeof tokenStatusQuerySchema>;

export interface TokenStatusRow {
  mailboxId: string;
  address: string;
  authMode: string;
  appLabel: string;
  credentialExpiresAt: Date | null;
  state: string | null;
  userName: string | null;
  scopes: string[];
  accessTokenExpiresAt: Date | null;
  lastRefreshAt: Date | null;
  inactivityDaysLeft: number | null;
  lastError: ErrorExplanation | null;
  failureCount: number;
}

const PAGE_SIZE = 50;

function whereFor(state: TokenStatusQuery["state"]) {
  switch (state) {
    case "all":
      return {};
    case "not_connected":
      return { grant: { is: null } };
    case "failing":
      return { grant: { is: { failureCount: { gt: 0 } } } };
    default:
      return { grant: { is: { state } } };
  }
}

export async function listTokenStatus(query: TokenStatusQuery): Promise<{ rows: TokenStatusRow[]; total: number; pages: number; counts: Record<string, number> }> {
  const db = getDb();
  const where = whereFor(query.state);
  const [total, mailboxes, grouped, connected] = await Promise.all([
    db.mailbox.count({ where }),
    db.mailbox.findMany({
      where,
      orderBy: [{ address: "asc" }, { id: "asc" }],
      skip: (query.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        address: true,
        authMode: true,
        appRegistration: { select: { label: true, credentialExpiresAt: true } },
        grant: {
          select: {
            kind: true,
            state: true,
            userName: true,
            scopes: true,
            lastRefreshAt: true,
            refreshTokenIssuedAt: true,
            consentedAt: true,
            lastError: true,
            failureCount: true,
            accessTokens: { select: { expiresAt: true } },
          },
        },
      },
    }),
    db.grant.groupBy({ by: ["state"], _count: { _all: true } }),
    db.mailbox.count({ where: { grant: { is: null } } }),
  ]);
  const counts: Record<string, number> = { not_connected: connected };
  for (const g of grouped) counts[g.state] = g._count._all;
  return {
    total,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    counts,
    rows: mailboxes.map((m) => {
      const g = m.grant;
      const expiries = g?.accessTokens.map((t) => t.expiresAt.getTime()) ?? [];
      return {
        mailboxId: m.id,
        address: m.address,
        authMode: m.authMode,
        appLabel: m.appRegistration.label,
        credentialExpiresAt: m.appRegistration.credentialExpiresAt,
        state: g?.state ?? null,
        userName: g?.userName ?? null,
        scopes: g?.scopes.split(" ").filter(Boolean) ?? [],
        accessTokenExpiresAt: expiries.length ? new Date(Math.min(...expiries)) : null,
        lastRefreshAt: g?.lastRefreshAt ?? null,
        inactivityDaysLeft: g && g.kind === "delegated" ? inactivityDaysLeft(g.refreshTokenIssuedAt ?? g.consentedAt) : null,
        lastError: g?.lastError ? (JSON.parse(g.lastError) as ErrorExplanation) : null,
        failureCount: g?.failureCount ?? 0,
      };
    }),
  };
}
