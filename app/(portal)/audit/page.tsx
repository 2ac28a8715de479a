import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { requirePageUser } from "@/lib/auth/session";
import { auditFilterSchema, listAuditActions, listAuditEvents } from "@/lib/audit/list-audit-events";
import { fieldErrorsOf } from "@/lib/validation";

export const metadata = { title: "Audit" };

type Search = Record<string, string | string[] | undefined>;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageUser("audit.read");
  const raw = await searchParams;
  const input = { actor: first(raw.actor), action: first(raw.action), from: first(raw.from), to: first(raw.to), page: first(raw.page) };
  const parsed = auditFilterSchema.safeParse(input);
  const errors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  const filter = parsed.success ? parsed.data : auditFilterSchema.parse({});
  const [{ rows, total, pages }, actions] = await Promise.all([listAuditEvents(filter), listAuditActions()]);

  const pageHref = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...input, page: String(page) })) if (v) q.set(k, v);
    return `/audit?${q.toString()}`;
  };

  return (
    <>
      <PageHeader title="Audit" description="Who did what, when and from where. Secrets are never recorded here." />
      <Card>
        <form method="get" className="grid gap-4 md:grid-cols-[1fr_1fr_10rem_10rem_auto] md:items-end">
          <Field label="Actor" name="actor" defaultValue={input.actor ?? ""} placeholder="e-mail contains…" error={errors.actor} />
          <div className="space-y-1">
            <label htmlFor="action" className="block text-sm font-medium text-slate-800">
              Action
            </label>
            <Select name="action" defaultValue={input.action ?? ""} options={[{ value: "", label: "All actions" }, ...actions.map((a) => ({ value: a, label: a }))]} />
          </div>
          <Field label="From (UTC)" name="from" type="date" defaultValue={input.from ?? ""} error={errors.from && "Enter a date as YYYY-MM-DD."} />
          <Field label="To (UTC)" name="to" type="date" defaultValue={input.to ?? ""} error={errors.to && "Enter a date as YYYY-MM-DD."} />
          <button type="submit" className="rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800">
            Filter
          </button>
        </form>
      </Card>
      <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full text-left text-sm" data-testid="audit-table">
          <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
            <tr>
              <th className="px-4 py-2">Time (UTC)</th>
              <th className="px-4 py-2">Actor</th>
              <th className="px-4 py-2">Action</th>
              <th className="px-4 py-2">Target</th>
              <th className="px-4 py-2">Details</th>
              <th className="px-4 py-2">From</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="px-4 py-8 text-center text-slate-500">
                  No audit events match these filters.
                </td>
              </tr>
            )}
            {rows.map((e) => (
              <tr key={e.id} className="align-top">
                <td className="px-4 py-2 font-mono text-xs whitespace-nowrap">{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td className="px-4 py-2">{e.actorLabel}</td>
                <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
                <td className="px-4 py-2">{e.targetLabel ?? "—"}</td>
                <td className="px-4 py-2 text-xs text-slate-600">
                  {Object.entries(e.details)
                    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`)
                    .join("; ") || "—"}
                </td>
                <td className="px-4 py-2 text-xs text-slate-600" title={e.userAgent ?? undefined}>
                  {e.ip ?? "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm text-slate-600">
        <span>
          {total} event{total === 1 ? "" : "s"} · page {filter.page} of {pages}
        </span>
        <span className="flex gap-3">
          {filter.page > 1 && (
            <Link className="text-blue-700 underline" href={pageHref(filter.page - 1)}>
              Newer
            </Link>
          )}
          {filter.page < pages && (
            <Link className="text-blue-700 underline" href={pageHref(filter.page + 1)}>
              Older
            </Link>
          )}
        </span>
      </nav>
    </>
  );
}
