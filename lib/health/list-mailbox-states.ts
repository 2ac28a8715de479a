import { getDb } from "@/lib/db/client";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import type { ProtocolUse } from "@/lib/microsoft/protocols";
import { mailboxHealthState, type MailboxHealthState } from "@/lib/health/mailbox-health-state";

// Every mailbox with its health state and the latest check of each protocol it uses: one narrow query
// (no history, no details), enough for counts per state, the JSON endpoint and the metrics.

export interface UseStatus {
  protocol: ProtocolUse["protocol"];
  direction: ProtocolUse["direction"];
  /** null: not checked yet. */
  ok: boolean | null;
  checkedAt: Date | null;
  durationMs: number | null;
  errorClass: string | null;
  failingSince: Date | null;
}

export interface MailboxStateRow {
  id: string;
  address: string;
  displayName: string;
  authMode: string;
  appRegistrationId: string;
  grantState: string | null;
  state: MailboxHealthState;
  uses: UseStatus[];
  /** Earliest start of a current failure among its protocols, for "failing since". */
  failingSince: Date | null;
}

export async function listMailboxStates(where: { ids?: readonly string[] } = {}): Promise<MailboxStateRow[]> {
  const rows = await getDb().mailbox.findMany({
    where: where.ids ? { id: { in: [...where.ids] } } : {},
    orderBy: [{ address: "asc" }, { id: "asc" }],
    select: {
      id: true,
      address: true,
      displayName: true,
      authMode: true,
      appRegistrationId: true,
      inboundProtocol: true,
      outboundProtocol: true,
      grant: { select: { state: true } },
      healthStatuses: { select: { protocol: true, direction: true, ok: true, checkedAt: true, durationMs: true, errorClass: true, failingSince: true } },
    },
  });
  return rows.map((m) => {
    const uses: UseStatus[] = usesOfMailbox(m).map((use) => {
      const s = m.healthStatuses.find((h) => h.protocol === use.protocol && h.direction === use.direction);
      return {
        protocol: use.protocol,
        direction: use.direction,
        ok: s ? s.ok : null,
        checkedAt: s?.checkedAt ?? null,
        durationMs: s?.durationMs ?? null,
        errorClass: s?.errorClass ?? null,
        failingSince: s?.failingSince ?? null,
      };
    });
    const latest = uses.filter((u) => u.ok !== null).map((u) => ({ protocol: u.protocol, direction: u.direction, ok: u.ok === true }));
    const grantState = m.grant?.state ?? null;
    const since = uses.map((u) => u.failingSince?.getTime()).filter((t): t is number => t !== undefined);
    return {
      id: m.id,
      address: m.address,
      displayName: m.displayName,
      authMode: m.authMode,
      appRegistrationId: m.appRegistrationId,
      grantState,
      state: mailboxHealthState(grantState, usesOfMailbox(m), latest),
      uses,
      failingSince: since.length ? new Date(Math.min(...since)) : null,
    };
  });
}

export function countByState(rows: readonly MailboxStateRow[]): Record<MailboxHealthState, number> {
  const counts: Record<MailboxHealthState, number> = { healthy: 0, degraded: 0, failing: 0, needs_consent: 0, unchecked: 0, not_connected: 0 };
  for (const r of rows) counts[r.state]++;
  return counts;
}
