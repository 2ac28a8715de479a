import Link from "next/link";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requirePageUser("dashboard.read");
  return (
    <>
      <PageHeader title="Dashboard" description="Whether every mailbox can still authenticate, and if not, why and who must act." />
      <EmptyState title="No mailboxes are connected yet">
        <p>
          Mailbox health, token status and expiring credentials will appear here once mailboxes are configured and connected. This
          version of the portal has sign-in, users, settings and the audit log; mailbox configuration and consent are not available yet.
        </p>
      </EmptyState>
      {can(user.role, "settings.read") && (
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
