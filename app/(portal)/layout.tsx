import type { ReactNode } from "react";
import { NavLink } from "@/components/shell/nav-link";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { can, navigation } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getSettings } from "@/lib/settings/settings";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const settings = await getSettings();
  const links = navigation.filter((n) => can(user.role, n.permission));
  return (
    <div className="min-h-screen lg:grid lg:grid-cols-[15rem_1fr]">
      <aside className="border-b border-slate-200 bg-white lg:min-h-screen lg:border-r lg:border-b-0">
        <div className="px-5 py-5">
          <p className="text-xs font-semibold tracking-wide text-blue-700 uppercase">Mailbox OAuth Portal</p>
          <p className="mt-1 truncate text-sm text-slate-600" data-testid="organisation-name">
            {settings.organisationName}
          </p>
        </div>
        <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-3 pb-3 lg:block lg:space-y-1">
          {links.map((l) => (
            <NavLink key={l.href} href={l.href} label={l.label} />
          ))}
        </nav>
      </aside>
      <div className="min-w-0">
        <header className="flex items-center justify-end gap-3 border-b border-slate-200 bg-white px-6 py-3">
          <span className="text-sm text-slate-700" data-testid="current-user">
            {user.name || user.email}
          </span>
          <span
            data-testid="current-role"
            className={`rounded-full px-2 py-0.5 text-xs font-medium ${user.role === "admin" ? "bg-blue-100 text-blue-800" : "bg-slate-100 text-slate-700"}`}
          >
            {user.role === "admin" ? "Admin" : "Support (read-only)"}
          </span>
          <SignOutButton />
        </header>
        <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
      </div>
    </div>
  );
}
