import Link from "next/link";
import { ExplanationBox } from "@/components/app-registrations/explanation-box";
import { TestNowButton } from "@/components/health/test-now-button";
import { CopyConsentLinkButton } from "@/components/mailboxes/copy-consent-link-button";
import { GrantStateBadge } from "@/components/mailboxes/grant-state-badge";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { ExpiryBadge, formatTime } from "@/components/ui/dates";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { listTokenStatus, tokenStatusQuerySchema } from "@/lib/mailboxes/list-token-status";
import { copyConsentLinkAction, testMailboxNowAction } from "../mailboxes/[id]/connection-actions";

export const metadata = { title: "Token status" };

const filters = [
  ["all", "All"],
  ["active", "Connected"],
  ["not_connected", "Not connected"],
  ["needs_consent", "Needs consent"],
  ["credential_invalid", "Credential invalid"],
  ["app_missing", "App missing"],
  ["blocked_by_policy", "Blocked by policy"],
  ["failing", "Refresh failing"],
] as const;

export default async function TokenStatusPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("tokens.read");
  const canTest = can(user.role, "health.run");
  const query = tokenStatusQuerySchema.parse(await searchParams);
  const { rows, total, pages, counts } = await listTokenStatus(query);
  return (
    <>
      <PageHeader title="Token status" description="Every mailbox's grant: who consented, scopes, expiries, refresh, and the last error with who must act." />
      <nav aria-label="Filter by state" className="mb-4 flex flex-wrap gap-2 text-sm">
        {filters.map(([value, label]) => (
          <Link
            key={value}
            href={`/token-status?state=${value}`}
            aria-current={query.state === value ? "page" : undefined}
            className={`rounded-full border px-3 py-1 ${query.state === value ? "border-blue-700 bg-blue-50 text-blue-800" : "border-slate-300 bg-white text-slate-700"}`}
          >
            {label}
            {value in counts ? ` (${counts[value]})` : ""}
          </Link>
        ))}
      </nav>
      {rows.length === 0 ? (
        <EmptyState title="No mailbox matches">
          <p>Mailboxes appear here once they are configured; connect them from their page.</p>
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-left text-sm" data-testid="token-status-table">
            <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
              <tr>
                <th className="px-3 py-2">Mailbox</th>
                <th className="px-3 py-2">State</th>
                <th className="px-3 py-2">Account · scopes</th>
                <th className="px-3 py-2">Access token</th>
                <th className="px-3 py-2">Last refresh</th>
                <th className="px-3 py-2">Refresh token lapses</th>
                <th className="px-3 py-2">App credential</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.mailboxId} className="align-top" data-mailbox={r.address}>
                  <td className="px-3 py-2">
                    <Link className="text-blue-700 underline" href={`/mailboxes/${r.mailboxId}`}>
                      {r.address}
                    </Link>
                    <div className="text-xs text-slate-500">{r.appLabel}</div>
                  </td>
                  <td className="px-3 py-2">
                    <GrantStateBadge state={r.state} />
                    {r.failureCount > 0 && <div className="text-xs text-amber-800">{r.failureCount} failed refresh{r.failureCount === 1 ? "" : "es"}</div>}
                    {r.state === "needs_consent" && r.authMode === "delegated" && (
                      <div className="mt-1">
                        <CopyConsentLinkButton mailboxId={r.mailboxId} copy={copyConsentLinkAction} />
                      </div>
                    )}
                    {canTest && r.state !== null && (
                      <div className="mt-1">
                        <TestNowButton mailboxId={r.mailboxId} test={testMailboxNowAction} />
                      </div>
                    )}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {r.userName ?? "—"}
                    <div className="font-mono text-slate-500">{r.scopes.map((s) => s.split("/").pop()).join(" ")}</div>
                    {r.lastError && (
                      <div className="mt-2 max-w-md">
                        <ExplanationBox explanation={r.lastError} />
                      </div>
                    )}
                  </td>
                  <td className="px-3 py-2 text-xs">{formatTime(r.accessTokenExpiresAt)}</td>
                  <td className="px-3 py-2 text-xs">{formatTime(r.lastRefreshAt)}</td>
                  <td className="px-3 py-2 text-xs">{r.inactivityDaysLeft === null ? "—" : `${r.inactivityDaysLeft} days`}</td>
                  <td className="px-3 py-2">
                    <ExpiryBadge date={r.credentialExpiresAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="mt-4 text-sm text-slate-600">
        {total} mailbox{total === 1 ? "" : "es"} · page {query.page} of {pages}
        {query.page < pages && (
          <Link className="ml-3 text-blue-700 underline" href={`/token-status?state=${query.state}&page=${query.page + 1}`}>
            Next
          </Link>
        )}
      </p>
    </>
  );
}
