import { mailboxHealthStateLabels, type MailboxHealthState } from "@/lib/health/mailbox-health-state";

const descriptions: Record<MailboxHealthState, string> = {
  healthy: "Every protocol passed its latest check.",
  degraded: "Some protocols fail while others work.",
  failing: "Nothing works: every check fails, or no token can be had.",
  needs_consent: "Someone must sign in or consent again.",
  unchecked: "Connected; no check has run yet.",
  not_connected: "Configured, but nobody has consented.",
};

const tones: Record<MailboxHealthState, string> = {
  healthy: "border-green-200 bg-green-50 text-green-900",
  degraded: "border-amber-200 bg-amber-50 text-amber-900",
  failing: "border-red-300 bg-red-50 text-red-900",
  needs_consent: "border-red-200 bg-red-50 text-red-900",
  unchecked: "border-slate-200 bg-white text-slate-800",
  not_connected: "border-slate-200 bg-white text-slate-800",
};

const order: MailboxHealthState[] = ["failing", "degraded", "needs_consent", "healthy", "unchecked", "not_connected"];

/** Mailboxes per health state, problems first, plus the mailboxes whose app credential expires soon. */
export function StateTiles({ counts, credentialExpiring }: { counts: Record<MailboxHealthState, number>; credentialExpiring: number }) {
  return (
    <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7" data-testid="state-counts">
      {order.map((state) => (
        <li key={state} className={`rounded-lg border p-3 ${counts[state] > 0 ? tones[state] : "border-slate-200 bg-white text-slate-500"}`} data-state={state}>
          <p className="text-2xl font-semibold" data-testid={`count-${state}`}>
            {counts[state]}
          </p>
          <p className="text-sm font-medium">{mailboxHealthStateLabels[state]}</p>
          <p className="mt-1 text-xs opacity-80">{descriptions[state]}</p>
        </li>
      ))}
      <li className={`rounded-lg border p-3 ${credentialExpiring > 0 ? tones.degraded : "border-slate-200 bg-white text-slate-500"}`} data-state="credential_expiring">
        <p className="text-2xl font-semibold" data-testid="count-credential_expiring">
          {credentialExpiring}
        </p>
        <p className="text-sm font-medium">Credential expiring</p>
        <p className="mt-1 text-xs opacity-80">Mailboxes whose app secret or certificate expires within 30 days.</p>
      </li>
    </ul>
  );
}
