import { getDb } from "@/lib/db/client";
import { readCheckDetail, type CheckExplanationView } from "@/lib/health/check-explanation";
import { grantProblemOf } from "@/lib/health/get-grant-problem";
import { mailboxHealthState, type MailboxHealthState } from "@/lib/health/mailbox-health-state";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import type { Direction, Protocol } from "@/lib/microsoft/protocols";

// GET /api/v1/mailboxes/{mailbox}/health: the latest check of each protocol the mailbox uses (one
// HealthStatus row per use, kept by lib/health), the mailbox's state, and why its grant gives no tokens
// when it is stopped. The catalog's explanation only: never a server's raw reply beyond its redacted text.

export interface LatestCheck {
  protocol: Protocol;
  direction: Direction;
  /** null: not checked yet. */
  ok: boolean | null;
  checkedAt: Date | null;
  durationMs: number | null;
  trigger: string | null;
  errorClass: string | null;
  lastOkAt: Date | null;
  failingSince: Date | null;
  problem: CheckExplanationView | null;
}

export interface MailboxHealthView {
  id: string;
  address: string;
  state: MailboxHealthState;
  grantState: string | null;
  grantProblem: CheckExplanationView | null;
  checks: LatestCheck[];
}

export async function loadMailboxHealth(mailboxId: string): Promise<MailboxHealthView | null> {
  const row = await getDb().mailbox.findUnique({
    where: { id: mailboxId },
    select: {
      id: true,
      address: true,
      inboundProtocol: true,
      outboundProtocol: true,
      grant: { select: { state: true, lastError: true } },
      healthStatuses: true,
    },
  });
  if (!row) return null;
  const uses = usesOfMailbox(row);
  const checks: LatestCheck[] = uses.map((use) => {
    const s = row.healthStatuses.find((h) => h.protocol === use.protocol && h.direction === use.direction);
    if (!s) return { protocol: use.protocol, direction: use.direction, ok: null, checkedAt: null, durationMs: null, trigger: null, errorClass: null, lastOkAt: null, failingSince: null, problem: null };
    return {
      protocol: use.protocol,
      direction: use.direction,
      ok: s.ok,
      checkedAt: s.checkedAt,
      durationMs: s.durationMs,
      trigger: s.trigger,
      errorClass: s.errorClass,
      lastOkAt: s.lastOkAt,
      failingSince: s.failingSince,
      problem: s.ok ? null : readCheckDetail(s.detail, s.errorClass).explanation,
    };
  });
  const latest = checks.filter((c) => c.ok !== null).map((c) => ({ protocol: c.protocol, direction: c.direction, ok: c.ok === true }));
  return {
    id: row.id,
    address: row.address,
    state: mailboxHealthState(row.grant?.state ?? null, uses, latest),
    grantState: row.grant?.state ?? null,
    grantProblem: row.grant ? grantProblemOf(row.grant) : null,
    checks,
  };
}
