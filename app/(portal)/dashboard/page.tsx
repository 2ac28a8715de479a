import Link from "next/link";
import { ProblemList } from "@/components/health/problem-list";
import { StateTiles } from "@/components/health/state-tiles";
import { SweepNowButton } from "@/components/health/sweep-now-button";
import { TestNowButton } from "@/components/health/test-now-button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { ExpiryBadge, formatTime } from "@/components/ui/dates";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getHealthOverview, type SweepSummary } from "@/lib/health/get-health-overview";
import { testMailboxNowAction } from "../mailboxes/[id]/connection-actions";
import { startSweepAction } from "./actions";

export const metadata = { title: "Dashboard" };

function SweepLine({ last, running, intervalMinutes }: { last: SweepSummary | null; running: boolean; intervalMinutes: number | null }) {
  const schedule = intervalMinutes ? `Every connected mailbox is checked every ${intervalMinutes} minutes.` : "Scheduled sweeps are off (HEALTH_SWEEP_INTERVAL_MINUTES=0).";
  if (!last) return <p className="text-sm text-slate-600">{schedule} No sweep has run yet.</p>;
  const seconds = last.finishedAt ? Math.max(0, Math.round((last.finishedAt.getTime() - last.startedAt.getTime()) / 100) / 10) : null;
  return (
    <p className="text-sm text-slate-600" data-testid="last-sweep">
      {running && !last.finishedAt ? (
        <>Sweep running since {formatTime(last.startedAt)}: {last.mailboxes} mailboxes. </>
      ) : (
        <>
          Last sweep {formatTime(last.startedAt)} ({last.trigger === "manual" ? "started by hand" : "scheduled"}): {last.mailboxes} mailboxes, {last.checks} checks, {last.failures} failed
          {seconds !== null && <>, {seconds} s</>}
          {last.stoppedEarly && <> (stopped early: {last.stoppedEarly === "lease_lost" ? "another instance took over" : "the portal shut down"})</>}.{" "}
        </>
      )}
      {schedule}
    </p>
  );
}

export default async function DashboardPage() {
  const user = await requirePageUser("dashboard.read");
  const overview = await getHealthOverview();
  const canTest = can(user.role, "health.run");
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Whether every mailbox can still authenticate, and if not, why and who must act."
        actions={canTest && overview.counts.healthy + overview.counts.degraded + overview.counts.failing + overview.counts.needs_consent + overview.counts.unchecked > 0 && <SweepNowButton running={overview.sweepRunning} start={startSweepAction} />}
      />
      {overview.total === 0 ? (
        <EmptyState title="No mailboxes yet">
          <p>
            Add an <Link className="text-blue-700 underline" href="/app-registrations">app registration</Link> and the{" "}
            <Link className="text-blue-700 underline" href="/mailboxes">mailboxes</Link> it connects; once connected, every mailbox is checked here
            over each of its protocols.
          </p>
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <StateTiles counts={overview.counts} credentialExpiring={overview.credentialExpiringMailboxes} />
          <SweepLine last={overview.lastSweep} running={overview.sweepRunning} intervalMinutes={overview.sweepIntervalMinutes} />
          <Card
            title="Needs attention"
            description="Failing mailboxes first (the longest-failing on top), then those waiting for consent, then those with some protocols failing. Each says what is wrong, the fix, and who must do it."
          >
            {overview.problems.length === 0 ? (
              <p className="text-sm text-slate-600" data-testid="no-problems">
                No mailbox is failing.
              </p>
            ) : (
              <>
                <ProblemList problems={overview.problems} testButton={canTest ? (id) => <TestNowButton mailboxId={id} test={testMailboxNowAction} /> : undefined} />
                {overview.problemsTotal > overview.problems.length && (
                  <p className="mt-3 text-sm text-slate-600">
                    {overview.problemsTotal - overview.problems.length} more; see the{" "}
                    <Link className="text-blue-700 underline" href="/token-status">
                      token status board
                    </Link>
                    .
                  </p>
                )}
              </>
            )}
          </Card>
          <Card title="App credentials expiring within 30 days" description="When a client secret or certificate expires, every mailbox of that app registration stops. An admin creates a new one in the Azure portal and enters it on the app registration.">
            {overview.expiringCredentials.length === 0 ? (
              <p className="text-sm text-slate-600">None.</p>
            ) : (
              <ul className="divide-y divide-slate-100" data-testid="expiring-credentials">
                {overview.expiringCredentials.map((c) => (
                  <li key={c.appRegistrationId} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                    <span>
                      <Link className="text-blue-700 underline" href={`/app-registrations/${c.appRegistrationId}`}>
                        {c.label}
                      </Link>{" "}
                      <span className="text-slate-600">
                        ({c.credentialType === "certificate" ? "certificate" : "client secret"}, {c.mailboxes} mailbox{c.mailboxes === 1 ? "" : "es"})
                      </span>
                    </span>
                    <ExpiryBadge date={c.expiresAt} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card
            title="Refresh tokens near the 90-day inactivity limit"
            description="Microsoft drops a refresh token after 90 days without use. The portal refreshes idle grants daily, so a grant listed here has not been refreshed for 76 days or more: its refreshes fail or keep-alive is off. The mailbox owner may have to sign in again."
          >
            {overview.inactiveGrants.length === 0 ? (
              <p className="text-sm text-slate-600">None within 14 days of the limit.</p>
            ) : (
              <ul className="divide-y divide-slate-100" data-testid="inactive-grants">
                {overview.inactiveGrants.map((g) => (
                  <li key={g.mailboxId} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                    <span>
                      <Link className="text-blue-700 underline" href={`/mailboxes/${g.mailboxId}`}>
                        {g.address}
                      </Link>
                      {g.userName && <span className="ml-2 text-slate-600">consented by {g.userName}</span>}
                    </span>
                    <span className={g.daysLeft <= 7 ? "font-medium text-red-800" : "text-amber-800"}>{g.daysLeft <= 0 ? "lapsed" : `${g.daysLeft} days left`}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}
      {can(user.role, "settings.read") && overview.total === 0 && (
        <div className="mt-6">
          <Card title="Before you connect mailboxes">
            <p className="text-sm text-slate-700">
              Check the portal&apos;s public URL in <Link className="text-blue-700 underline" href="/settings">Settings</Link>: the redirect URI
              you will register in the Azure portal is built from it. Add support staff under{" "}
              <Link className="text-blue-700 underline" href="/settings/users">Users</Link>.
            </p>
          </Card>
        </div>
      )}
    </>
  );
}
