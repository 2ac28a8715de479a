import { ImportForm } from "@/components/mailboxes/import-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { csvColumns, MAX_IMPORT_ROWS } from "@/lib/mailboxes/mailbox-csv";
import { importMailboxesAction } from "../actions";

export const metadata = { title: "Import mailboxes" };

export default async function ImportMailboxesPage() {
  await requirePageUser("mailboxes.write");
  return (
    <>
      <PageHeader
        title="Import mailboxes"
        description={`Up to ${MAX_IMPORT_ROWS} rows per file. A row whose address and protocols match an existing mailbox updates it; other rows create mailboxes. Each row is checked like the form; rejected rows change nothing.`}
      />
      <Card>
        <p className="mb-4 text-sm text-slate-600">
          Columns (export first to get a template): <code className="text-xs">{csvColumns.join(", ")}</code>. The app registration is named by its
          name in this portal; tags are separated by semicolons. Files hold no secrets.
        </p>
        <ImportForm importCsv={importMailboxesAction} />
      </Card>
    </>
  );
}
