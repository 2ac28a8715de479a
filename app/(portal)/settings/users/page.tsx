import { Badge, Card, PageHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/auth/users";
import { CreateUserForm } from "./create-user-form";
import { UserRowActions } from "./user-row-actions";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requirePageUser("users.read");
  const users = await listUsers();
  return (
    <>
      <PageHeader title="Users" description="Admins manage everything; support staff read status and health and run checks, and never see secrets." />
      <div className="space-y-6">
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-left text-sm" data-testid="users-table">
            <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
              <tr>
                <th className="px-4 py-2">User</th>
                <th className="px-4 py-2">Status</th>
                <th className="px-4 py-2">Last sign-in (UTC)</th>
                <th className="px-4 py-2">Role and access</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((u) => (
                <tr key={u.id} data-user-email={u.email} className="align-top">
                  <td className="px-4 py-3">
                    <div className="font-medium text-slate-900">{u.name || u.email}</div>
                    <div className="text-xs text-slate-500">{u.email}</div>
                  </td>
                  <td className="px-4 py-3">{u.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}</td>
                  <td className="px-4 py-3 font-mono text-xs">{u.lastSignInAt ? u.lastSignInAt.toISOString().replace("T", " ").slice(0, 16) : "never"}</td>
                  <td className="px-4 py-3">
                    <UserRowActions userId={u.id} role={u.role} disabled={u.disabled} isSelf={u.id === me.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Card title="Add a user">
          <CreateUserForm />
        </Card>
      </div>
    </>
  );
}
