import Link from "next/link";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { listAppRegistrations } from "@/lib/app-registrations/app-registration-view";
import { listMailboxes, mailboxListQuerySchema, type MailboxListQuery } from "@/lib/mailboxes/list-mailboxes";
import { clouds } from "@/lib/microsoft/clouds";
import { protocolLabels } from "@/lib/microsoft/protocols";
import { fieldErrorsOf } from "@/lib/validation";

export const metadata = { title: "Mailboxes" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function href(query: Partial<Record<string, string | number | undefined>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") q.set(k, String(v));
  return `/mailboxes?${q.toString()}`;
}

const selectClass = "block w-full rounded-md border border-slate-300 bg-white px-2 py-2 text-sm";

export default async function MailboxesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageUser("mailboxes.read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, one(v)]));
  const parsed = mailboxListQuerySchema.safeParse(raw);
  const errors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  const query: MailboxListQuery = parsed.success ? parsed.data : mailboxListQuerySchema.parse({});
  const [page, apps] = await Promise.all([listMailboxes(query), listAppRegistrations()]);
  const canWrite = can(user.role, "mailboxes.write");
  const filters = { q: query.q, protocol: query.protocol, direction: query.direction, cloud: query.cloud, tenant: query.tenant, app: query.app, tag: query.tag };
  const sortLink = (column: MailboxListQuery["sort"], label: string) => (
    <Link
      href={href({ ...filters, sort: column, order: query.sort === column && query.order === "asc" ? "desc" : "asc" })}
      className="hover:underline"
      aria-sort={query.sort === column ? (query.order === "asc" ? "ascending" : "descending") : undefined}
    >
      {label}
      {query.sort === column ? (query.order === "asc" ? " ▲" : " ▼") : ""}
    </Link>
  );

  return (
    <>
      <PageHeader
        title="Mailboxes"
        description="Inbound and outbound mailboxes, their protocols, servers and the app registration they authenticate through."
        actions={
          <div className="flex gap-2">
            <a href={`/mailboxes/export?${new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => Boolean(e[1]))).toString()}`} className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium hover:bg-slate-50">
              Export CSV
            </a>
            {canWrite && (
              <>
                <Link href="/mailboxes/import" className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium hover:bg-slate-50">
                  Import CSV
                </Link>
                <Link href="/mailboxes/new" className="rounded-md bg-blue-700 px-3.5 py-2 text-sm font-medium text-white hover:bg-blue-800">
                  New mailbox
                </Link>
              </>
            )}
          </div>
        }
      />
      <form method="get" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4 lg:grid-cols-8 lg:items-end" aria-label="Filters">
        <div className="md:col-span-2">
          <Field label="Search" name="q" defaultValue={query.q ?? ""} placeholder="address or name" error={errors.q} />
        </div>
        <label className="space-y-1 text-sm font-medium text-slate-800">
          Protocol
          <select name="protocol" defaultValue={query.protocol ?? ""} className={selectClass}>
            <option value="">Any</option>
            {Object.entries(protocolLabels).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 text-sm font-medium text-slate-800">
          Direction
          <select name="direction" defaultValue={query.direction ?? ""} className={selectClass}>
            <option value="">Any</option>
            <option value="inbound">Inbound</option>
            <option value="outbound">Outbound</option>
            <option value="both">Both</option>
          </select>
        </label>
        <label className="space-y-1 text-sm font-medium text-slate-800">
          Cloud
          <select name="cloud" defaultValue={query.cloud ?? ""} className={selectClass}>
            <option value="">Any</option>
            {Object.entries(clouds).map(([v, c]) => (
              <option key={v} value={v}>
                {c.label}
              </option>
            ))}
            <option value="custom">Custom</option>
          </select>
        </label>
        <label className="space-y-1 text-sm font-medium text-slate-800">
          App registration
          <select name="app" defaultValue={query.app ?? ""} className={selectClass}>
            <option value="">Any</option>
            {apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <Field label="Tenant" name="tenant" defaultValue={query.tenant ?? ""} error={errors.tenant} />
        <Field label="Tag" name="tag" defaultValue={query.tag ?? ""} error={errors.tag} />
        <button type="submit" className="rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800">
          Filter
        </button>
      </form>
      {page.total === 0 ? (
        <EmptyState title={Object.values(filters).some(Boolean) ? "No mailbox matches these filters" : "No mailboxes yet"}>
          {Object.values(filters).some(Boolean) ? (
            <Link className="text-blue-700 underline" href="/mailboxes">
              Clear the filters
            </Link>
          ) : (
            <p>Add a mailbox, or import many from a CSV file. Every mailbox authenticates through an app registration.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table className="min-w-full text-left text-sm" data-testid="mailboxes-table">
              <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
                <tr>
                  <th className="px-4 py-2">{sortLink("address", "Address")}</th>
                  <th className="px-4 py-2">{sortLink("displayName", "Name")}</th>
                  <th className="px-4 py-2">Reads · sends</th>
                  <th className="px-4 py-2">Mode</th>
                  <th className="px-4 py-2">App registration</th>
                  <th className="px-4 py-2">Tags</th>
                  <th className="px-4 py-2">{sortLink("updatedAt", "Changed")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {page.rows.map((m) => (
                  <tr key={m.id}>
                    <td className="px-4 py-2">
                      <Link className="text-blue-700 underline" href={`/mailboxes/${m.id}`}>
                        {m.address}
                      </Link>
                    </td>
                    <td className="px-4 py-2">{m.displayName}</td>
                    <td className="px-4 py-2 text-xs">
                      {m.inboundProtocol ? protocolLabels[m.inboundProtocol] : "—"} · {m.outboundProtocol ? protocolLabels[m.outboundProtocol] : "—"}
                    </td>
                    <td className="px-4 py-2 text-xs">{m.authMode === "app_only" ? "App-only" : "Delegated"}</td>
                    <td className="px-4 py-2 text-xs">{m.appRegistration.label}</td>
                    <td className="px-4 py-2">
                      <span className="flex flex-wrap gap-1">
                        {m.tags.map((t) => (
                          <Badge key={t}>{t}</Badge>
                        ))}
                      </span>
                    </td>
                    <td className="px-4 py-2 font-mono text-xs">{m.updatedAt.toISOString().slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm text-slate-600">
            <span data-testid="mailbox-count">
              {page.total} mailbox{page.total === 1 ? "" : "es"} · page {page.page} of {page.pages}
            </span>
            <span className="flex gap-3">
              {page.page > 1 && (
                <Link className="text-blue-700 underline" href={href({ ...filters, sort: query.sort, order: query.order, page: page.page - 1 })}>
                  Previous
                </Link>
              )}
              {page.page < page.pages && (
                <Link className="text-blue-700 underline" href={href({ ...filters, sort: query.sort, order: query.order, page: page.page + 1 })}>
                  Next
                </Link>
              )}
            </span>
          </nav>
        </>
      )}
    </>
  );
}
