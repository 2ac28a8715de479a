import { getDb } from "@/lib/db/client";
import { isLeaseHeld } from "@/lib/grants/lease";
import { REFRESH_TOKEN_INACTIVITY_DAYS, inactivityDaysLeft } from "@/lib/mailboxes/connection-view";
import { protocolLabels } from "@/lib/microsoft/protocols";
import { readCheckDetail, type CheckExplanationView } from "@/lib/health/check-explanation";
import { grantProblemOf } from "@/lib/health/get-grant-problem";
import { getHealthSettings } from "@/lib/health/health-settings";
import { getUptime, uptimeOf, type MailboxUptime } from "@/lib/health/get-uptime";
import { countByState, listMailboxStates, type MailboxStateRow } from "@/lib/health/list-mailbox-states";
import type { MailboxHealthState } from "@/lib/health/mailbox-health-state";
import { SWEEP_LEASE } from "@/lib/health/run-health-sweep";

// The dashboard's data: mailboxes per state, the mailboxes that need someone (failing first, each with
// the explanation and who must act), app credentials expiring within 30 days, refresh tokens close to
// their 90-day inactivity limit, and the sweeps.

export const CREDENTIAL_WARNING_DAYS = 30;
export const INACTIVITY_WARNING_DAYS = 14;
const PROBLEMS_SHOWN = 50;
const DAY = 86_400_000;

export interface ProblemUse {
  label: string;
  checkedAt: Date | null;
  errorClass: string | null;
  explanation: CheckExplanationView | null;
}

export interface ProblemMailbox {
  id: string;
  address: string;
  displayName: string;
  state: MailboxHealthState;
  failingSince: Date | null;
  /** Why the grant gives no tokens (needs consent, app credential refused…); null when the grant is fine. */
  grantProblem: CheckExplanationView | null;
  failingUses: ProblemUse[];
  workingUses: string[];
  uptime: MailboxUptime;
}

export interface ExpiringCredential {
  appRegistrationId: string;
  label: string;
  credentialType: string;
  expiresAt: Date;
  mailboxes: number;
}

export interface InactiveGrant {
  mailboxId: string;
  address: string;
  userName: string | null;
  daysLeft: number;
}

export interface SweepSummary {
  startedAt: Date;
  finishedAt: Date | null;
  trigger: string;
  mailboxes: number;
  checks: number;
  failures: number;
  stoppedEarly: string | null;
}

export interface HealthOverview {
  total: number;
  counts: Record<MailboxHealthState, number>;
  /** Mailboxes whose app registration's secret or certificate expires within 30 days (or has expired). */
  credentialExpiringMailboxes: number;
  problems: ProblemMailbox[];
  problemsTotal: number;
  expiringCredentials: ExpiringCredential[];
  inactiveGrants: InactiveGrant[];
  lastSweep: SweepSummary | null;
  sweepRunning: boolean;
  /** null when sweeps are off. */
  sweepIntervalMinutes: number | null;
}

const problemOrder: Partial<Record<MailboxHealthState, number>> = { failing: 0, needs_consent: 1, degraded: 2 };

export async function getHealthOverview(now: Date = new Date()): Promise<HealthOverview> {
  const db = getDb();
  const credentialCutoff = new Date(now.getTime() + CREDENTIAL_WARNING_DAYS * DAY);
  const inactivityCutoff = new Date(now.getTime() - (REFRESH_TOKEN_INACTIVITY_DAYS - INACTIVITY_WARNING_DAYS) * DAY);
  const [states, expiring, inactive, lastSweep, sweepRunning] = await Promise.all([
    listMailboxStates(),
    db.appRegistration.findMany({
      where: { credentialExpiresAt: { lte: credentialCutoff } },
      orderBy: { credentialExpiresAt: "asc" },
      select: { id: true, label: true, credentialType: true, credentialExpiresAt: true, _count: { select: { mailboxes: true } } },
    }),
    db.grant.findMany({
      where: {
        kind: "delegated",
        state: "active",
        OR: [{ refreshTokenIssuedAt: { lte: inactivityCutoff } }, { refreshTokenIssuedAt: null, consentedAt: { lte: inactivityCutoff } }],
      },
      orderBy: [{ refreshTokenIssuedAt: "asc" }, { consentedAt: "asc" }],
      take: PROBLEMS_SHOWN,
      select: { mailboxId: true, userName: true, refreshTokenIssuedAt: true, consentedAt: true, mailbox: { select: { address: true } } },
    }),
    db.healthSweep.findFirst({ orderBy: { startedAt: "desc" } }),
    isLeaseHeld(SWEEP_LEASE),
  ]);

  const expiringAppIds = new Set(expiring.map((a) => a.id));
  const problemRows = states
    .filter((r) => r.state in problemOrder)
    .sort((a, b) => problemOrder[a.state]! - problemOrder[b.state]! || (a.failingSince?.getTime() ?? Infinity) - (b.failingSince?.getTime() ?? Infinity) || a.address.localeCompare(b.address));
  const shown = problemRows.slice(0, PROBLEMS_SHOWN);
  const settings = getHealthSettings();
  return {
    total: states.length,
    counts: countByState(states),
    credentialExpiringMailboxes: states.filter((r) => expiringAppIds.has(r.appRegistrationId)).length,
    problems: await explainProblems(shown, now),
    problemsTotal: problemRows.length,
    expiringCredentials: expiring.map((a) => ({ appRegistrationId: a.id, label: a.label, credentialType: a.credentialType, expiresAt: a.credentialExpiresAt!, mailboxes: a._count.mailboxes })),
    inactiveGrants: inactive.map((g) => ({
      mailboxId: g.mailboxId,
      address: g.mailbox.address,
      userName: g.userName,
      daysLeft: inactivityDaysLeft(g.refreshTokenIssuedAt ?? g.consentedAt, now) ?? 0,
    })),
    lastSweep: lastSweep
      ? { startedAt: lastSweep.startedAt, finishedAt: lastSweep.finishedAt, trigger: lastSweep.trigger, mailboxes: lastSweep.mailboxes, checks: lastSweep.checks, failures: lastSweep.failures, stoppedEarly: lastSweep.stoppedEarly }
      : null,
    sweepRunning,
    sweepIntervalMinutes: settings.intervalMs > 0 ? settings.intervalMs / 60_000 : null,
  };
}

/** The details (explanations) of the shown problem mailboxes only: one more query for at most 50 mailboxes. */
async function explainProblems(rows: MailboxStateRow[], now: Date): Promise<ProblemMailbox[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [statuses, grants, uptime] = await Promise.all([
    getDb().healthStatus.findMany({ where: { mailboxId: { in: ids }, ok: false }, select: { mailboxId: true, protocol: true, direction: true, detail: true, errorClass: true } }),
    getDb().grant.findMany({ where: { mailboxId: { in: ids } }, select: { mailboxId: true, state: true, lastError: true } }),
    getUptime(ids, now),
  ]);
  return rows.map((r) => {
    const grant = grants.find((g) => g.mailboxId === r.id);
    const label = (u: { protocol: keyof typeof protocolLabels; direction: string }) => `${protocolLabels[u.protocol]} ${u.direction}`;
    return {
      id: r.id,
      address: r.address,
      displayName: r.displayName,
      state: r.state,
      failingSince: r.failingSince,
      grantProblem: grant ? grantProblemOf(grant) : null,
      failingUses: r.uses
        .filter((u) => u.ok === false)
        .map((u) => {
          const s = statuses.find((x) => x.mailboxId === r.id && x.protocol === u.protocol && x.direction === u.direction);
          return { label: label(u), checkedAt: u.checkedAt, errorClass: u.errorClass, explanation: s ? readCheckDetail(s.detail, s.errorClass).explanation : null };
        }),
      workingUses: r.uses.filter((u) => u.ok === true).map(label),
      uptime: uptimeOf(uptime, r.id),
    };
  });
}
