import { getDb } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { ErrorExplanation, GrantState } from "@/lib/microsoft/error-explanation";
import { nextAttemptAt, type TokenPolicy } from "@/lib/grants/token-policy";

// What a failed token request leaves on the grant. lastError is the catalog's explanation (who must do what,
// Microsoft's trace and correlation IDs; never a token or secret). Writes are conditional on the grant still
// being what the refresh started from (refreshTokenVersion, state active), so a re-consent that happened
// meanwhile is never overwritten with an old failure.

const SYSTEM = { id: null, label: "system" };

export interface FailedGrant {
  id: string;
  mailboxId: string;
  failureCount: number;
  /** Delegated: the version the refresh read; app-only grants have no refresh token to guard. */
  refreshTokenVersion?: number;
}

/** Transient: count it and set when to ask again; the state does not change. Returns nextAttemptAt. */
export async function recordTransientFailure(grant: FailedGrant, explanation: ErrorExplanation, policy: TokenPolicy, now: Date = new Date()): Promise<Date> {
  const failures = grant.failureCount + 1;
  const next = nextAttemptAt(now, failures, explanation.retryAfterSeconds, policy);
  await getDb().grant.updateMany({
    where: { id: grant.id, state: "active", ...(grant.refreshTokenVersion !== undefined ? { refreshTokenVersion: grant.refreshTokenVersion } : {}) },
    data: { failureCount: { increment: 1 }, nextAttemptAt: next, lastError: JSON.stringify(explanation), lastErrorAt: now },
  });
  return next;
}

/**
 * Permanent: the grant moves to the explanation's state and Microsoft is not asked again for it until a new
 * consent (or a fixed credential) makes it active. Audited when the state changed, with the error's code and
 * Microsoft's IDs only.
 */
export async function recordPermanentFailure(grants: FailedGrant[], state: GrantState, explanation: ErrorExplanation, now: Date = new Date()): Promise<number> {
  let moved = 0;
  for (const grant of grants) {
    const { count } = await getDb().grant.updateMany({
      where: { id: grant.id, state: "active", ...(grant.refreshTokenVersion !== undefined ? { refreshTokenVersion: grant.refreshTokenVersion } : {}) },
      data: { state, failureCount: { increment: 1 }, nextAttemptAt: null, lastError: JSON.stringify(explanation), lastErrorAt: now },
    });
    if (count !== 1) continue;
    moved++;
    const mailbox = await getDb().mailbox.findUnique({ where: { id: grant.mailboxId }, select: { address: true } });
    await recordAuditEvent({
      actor: SYSTEM,
      action: "grant.refresh_failed",
      target: { type: "mailbox", id: grant.mailboxId, label: mailbox?.address ?? null },
      details: {
        state,
        error: explanation.code,
        title: explanation.title,
        actor: explanation.actor,
        ...(explanation.traceId ? { traceId: explanation.traceId } : {}),
        ...(explanation.correlationId ? { correlationId: explanation.correlationId } : {}),
      },
    });
  }
  return moved;
}
