"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { FieldMessages } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";
import type { ImportRowReport } from "@/lib/mailboxes/mailbox-csv";

export function ImportForm({ importCsv }: { importCsv: (fd: FormData) => Promise<ActionResult<ImportRowReport[]>> }) {
  const form = useActionForm(importCsv);
  const reports = form.result?.ok ? form.result.data : null;
  const count = (o: ImportRowReport["outcome"]) => reports?.filter((r) => r.outcome === o).length ?? 0;
  return (
    <div className="space-y-6">
      <form onSubmit={form.onSubmit} noValidate className="space-y-4" aria-label="Import mailboxes">
        {form.formError && <Alert tone="error">{form.formError}</Alert>}
        <div className="space-y-1">
          <label htmlFor="file" className="block text-sm font-medium text-slate-800">
            CSV file
          </label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" className="block text-sm" />
          <FieldMessages name="file" error={form.fieldError("file")} />
        </div>
        <Button type="submit" disabled={form.pending}>
          {form.pending ? "Importing…" : "Import"}
        </Button>
      </form>
      {reports && (
        <div className="space-y-3">
          <Alert tone={count("rejected") > 0 ? "warning" : "success"}>
            {count("created")} created, {count("updated")} updated, {count("rejected")} rejected.
          </Alert>
          <table className="min-w-full text-left text-sm" data-testid="import-report">
            <thead className="text-xs text-slate-500 uppercase">
              <tr>
                <th className="py-1 pr-4">Line</th>
                <th className="py-1 pr-4">Address</th>
                <th className="py-1 pr-4">Outcome</th>
                <th className="py-1">Why</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {reports.map((r) => (
                <tr key={r.line} className="align-top" data-outcome={r.outcome}>
                  <td className="py-1 pr-4 font-mono text-xs">{r.line}</td>
                  <td className="py-1 pr-4">{r.address}</td>
                  <td className="py-1 pr-4">{r.outcome}</td>
                  <td className="py-1 text-xs">
                    {Object.entries(r.errors).map(([field, message]) => (
                      <div key={field} className="text-red-800">
                        <span className="font-mono">{field}</span>: {message}
                      </div>
                    ))}
                    {Object.entries(r.warnings).map(([field, message]) => (
                      <div key={field} className="text-amber-800">
                        <span className="font-mono">{field}</span>: {message}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
