import Link from "next/link";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { ExpiryBadge } from "@/components/ui/dates";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { listAppRegistrations } from "@/lib/app-registrations/app-registration-view";

export const metadata = { title: "App registrations" };

export default async function AppRegistrationsPage() {
  const user = await requirePageUser("apps.read");
  const apps = await listAppRegistrations();
  const canWrite = can(user.role, "apps.write");
  return (
    <>
      <PageHeader
        title="App registrations"
        description="The Entra ID applications your mailboxes authenticate through: cloud, tenant, client ID and credential. Secrets are never shown after entry."
        actions={
          canWrite && (
            <Link href="/app-registrations/new" className="rounded-md bg-blue-700 px-3.5 py-2 text-sm font-medium text-white hover:bg-blue-800">
              New app registration
            </Link>
          )
        }
      />
      {apps.length === 0 ? (
        <EmptyState title="No app registrations yet">
          <p>
            Start here: register an application in the Azure portal, then add it with its tenant, client ID and secret or certificate. The
            setup guide shows every value to copy.
          </p>
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-left text-sm" data-testid="app-registrations-table">
            <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
              <tr>
                <th className="px-4 py-2">Name</th>
                <th className="px-4 py-2">Cloud · tenant</th>
                <th className="px-4 py-2">Client ID</th>
                <th className="px-4 py-2">Credential</th>
                <th className="px-4 py-2">Mailboxes</th>
                <th className="px-4 py-2">Last check</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {apps.map((a) => (
                <tr key={a.id}>
                  <td className="px-4 py-3 font-medium">
                    <Link className="text-blue-700 underline" href={`/app-registrations/${a.id}`}>
                      {a.label}
                    </Link>
                  </td>
                  <td className="px-4 py-3 text-xs">
                    {a.cloudLabel}
                    <div className="font-mono text-slate-600">{a.tenant}</div>
                  </td>
                  <td className="px-4 py-3 font-mono text-xs">{a.clientId}</td>
                  <td className="px-4 py-3">
                    <div className="text-xs text-slate-600">{a.credentialType === "secret" ? `Secret ${a.secretHint ?? ""}` : "Certificate"}</div>
                    <ExpiryBadge date={a.credentialExpiresAt} />
                  </td>
                  <td className="px-4 py-3">{a.mailboxCount}</td>
                  <td className="px-4 py-3">
                    {a.lastCheck ? <Badge tone={a.lastCheck.outcome === "ok" ? "green" : "red"}>{a.lastCheck.outcome === "ok" ? "Token issued" : "Failed"}</Badge> : <span className="text-xs text-slate-500">not checked</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
