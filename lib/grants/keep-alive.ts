import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { logInfo, logWarn } from "@/lib/log";
import { toAppRegistrationView } from "@/lib/app-registrations/app-registration-view";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import { GrantUnavailableError } from "@/lib/grants/grant-unavailable-error";
import { pruneExpiredRefreshLeases, tryAcquireLease } from "@/lib/grants/lease";
import { resourceScopesFor } from "@/lib/grants/mailbox-token-context";
import { refreshIdleGrant } from "@/lib/grants/refresh-delegated-grant";
import { resolvePolicy, type TokenPolicy } from "@/lib/grants/token-policy";

// Keep-alive (issue #5 item 5; field lessons #1): a refresh token expires after 90 days of inactivity
// (reference §5), so a delegated grant nobody used for `idleHours` is refreshed in the background. It goes
// through the same single flight as every other refresh (lease `refresh:<grantId>`, idle re-checked under
// it), so several instances running the sweep at once refresh each grant once. A sweep lease additionally
// keeps them from scanning the same rows at the same time.

export interface KeepAliveOptions {
  idleHours?: number;
  /** Grants per sweep (oldest first); the next sweep continues. */
  limit?: number;
  now?: Date;
  policy?: Partial<TokenPolicy>;
}

export interface KeepAliveReport {
  considered: number;
  refreshed: number;
  /** Found no longer idle (another instance or a caller refreshed it meanwhile). */
  skipped: number;
  failed: Array<{ grantId: string; code: string }>;
}

const SWEEP_CONCURRENCY = 4;

export async function refreshIdleGrants(options: KeepAliveOptions = {}): Promise<KeepAliveReport> {
  const idleHours = options.idleHours ?? 24;
  const now = options.now ?? new Date();
  const idleBefore = new Date(now.getTime() - idleHours * 3600_000);
  const policy = resolvePolicy(options.policy);
  const grants = await getDb().grant.findMany({
    where: {
      kind: "delegated",
      state: "active",
      refreshTokenEncrypted: { not: null },
      OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
      AND: [
        { OR: [{ lastRefreshAt: null }, { lastRefreshAt: { lt: idleBefore } }] },
        { OR: [{ refreshTokenIssuedAt: null }, { refreshTokenIssuedAt: { lt: idleBefore } }] },
        { consentedAt: { lt: idleBefore } },
      ],
    },
    orderBy: [{ refreshTokenIssuedAt: "asc" }],
    take: options.limit ?? 100,
    select: {
      id: true,
      mailbox: { select: { id: true, authMode: true, signingIdentity: true, inboundProtocol: true, outboundProtocol: true, appRegistration: true } },
    },
  });

  const report: KeepAliveReport = { considered: grants.length, refreshed: 0, skipped: 0, failed: [] };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < grants.length) {
      const grant = grants[next++]!;
      const { mailbox } = grant;
      try {
        const app = toAppRegistrationView(mailbox.appRegistration);
        const uses = usesOfMailbox(mailbox);
        if (uses.length === 0 || mailbox.authMode !== "delegated") {
          report.skipped++;
          continue;
        }
        // The first resource the mailbox uses: any refresh renews the refresh token (reference §5).
        const { resource, requestScopes } = resourceScopesFor(uses[0]!, { ...mailbox, authMode: "delegated" }, app);
        const outcome = await refreshIdleGrant({ grantId: grant.id, mailboxId: mailbox.id, app, resource, requestScopes }, idleBefore, policy);
        if (outcome.refreshed) report.refreshed++;
        else report.skipped++;
      } catch (error) {
        if (!(error instanceof GrantUnavailableError)) logWarn(`Keep-alive could not refresh grant ${grant.id}.`, error);
        report.failed.push({ grantId: grant.id, code: error instanceof GrantUnavailableError ? error.code : "error" });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, grants.length) }, worker));
  return report;
}

const globalJob = globalThis as typeof globalThis & { __portalKeepAlive?: { stop(): void } };

/**
 * Runs refreshIdleGrants every PORTAL_KEEPALIVE_INTERVAL_MINUTES (0 = off), for grants idle longer than
 * PORTAL_KEEPALIVE_IDLE_HOURS. Started once per process from instrumentation.ts; a second call returns
 * the running job (Next's dev server may load the instrumentation again).
 */
export function startKeepAliveJob(): { stop(): void } {
  if (globalJob.__portalKeepAlive) return globalJob.__portalKeepAlive;
  const env = getEnv();
  const intervalMs = env.PORTAL_KEEPALIVE_INTERVAL_MINUTES * 60_000;
  if (intervalMs <= 0) return { stop() {} };
  let running = false;
  const sweep = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const lease = await tryAcquireLease("sweep:keep-alive", intervalMs);
      if (!lease) return; // another instance is sweeping now
      try {
        const report = await refreshIdleGrants({ idleHours: env.PORTAL_KEEPALIVE_IDLE_HOURS });
        await pruneExpiredRefreshLeases(3600_000);
        if (report.considered > 0) {
          logInfo(`Keep-alive: ${report.refreshed} refreshed, ${report.skipped} skipped, ${report.failed.length} failed of ${report.considered} idle grant(s).`);
        }
      } finally {
        await lease.release();
      }
    } catch (error) {
      logWarn("Keep-alive sweep failed; the next one retries.", error);
    } finally {
      running = false;
    }
  };
  // First sweep shortly after start (not during it), then on the interval; neither keeps the process alive.
  const first = setTimeout(() => void sweep(), Math.min(60_000, intervalMs));
  const timer = setInterval(() => void sweep(), intervalMs);
  first.unref();
  timer.unref();
  const job = {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
      globalJob.__portalKeepAlive = undefined;
    },
  };
  globalJob.__portalKeepAlive = job;
  return job;
}
