import type { ProtocolUse } from "@/lib/microsoft/protocols";

// What one mailbox's health is, from its grant and the latest check of each protocol it uses. One
// function, so the dashboard, the JSON endpoint and the metrics can never disagree.

export const mailboxHealthStates = ["healthy", "degraded", "failing", "needs_consent", "unchecked", "not_connected"] as const;
export type MailboxHealthState = (typeof mailboxHealthStates)[number];

export const mailboxHealthStateLabels: Record<MailboxHealthState, string> = {
  healthy: "Healthy",
  degraded: "Degraded",
  failing: "Failing",
  needs_consent: "Needs consent",
  unchecked: "Not checked yet",
  not_connected: "Not connected",
};

export interface LatestUseCheck {
  protocol: string;
  direction: string;
  ok: boolean;
}

/**
 * - not_connected: no grant; needs_consent: someone must sign in or consent again;
 * - failing: the grant cannot give tokens (app credential, app missing, policy), or every protocol's latest check failed;
 * - degraded: some protocols work, some fail (e.g. IMAP fine, SMTP AUTH disabled);
 * - healthy: every protocol's latest check passed; unchecked: connected, no check of some protocol yet.
 * Checks of protocols the mailbox no longer uses (its settings changed) are ignored.
 */
export function mailboxHealthState(grantState: string | null, uses: readonly ProtocolUse[], latest: readonly LatestUseCheck[]): MailboxHealthState {
  if (grantState === null) return "not_connected";
  if (grantState === "needs_consent") return "needs_consent";
  if (grantState !== "active") return "failing";
  const current = uses.map((u) => latest.find((l) => l.protocol === u.protocol && l.direction === u.direction));
  const failing = current.filter((c) => c && !c.ok).length;
  if (failing > 0) return failing === uses.length ? "failing" : "degraded";
  if (uses.length === 0 || current.some((c) => !c)) return "unchecked";
  return "healthy";
}
