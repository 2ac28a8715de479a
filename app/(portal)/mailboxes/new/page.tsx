import { MailboxForm } from "@/components/mailboxes/mailbox-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { listAppRegistrations } from "@/lib/app-registrations/app-registration-view";
import { saveMailboxAction } from "../actions";

export const metadata = { title: "New mailbox" };

export default async function NewMailboxPage() {
  await requirePageUser("mailboxes.write");
  const apps = await listAppRegistrations();
  return (
    <>
      <PageHeader title="New mailbox" description="Servers are filled in from the app registration's cloud; override them only if you know you must." />
      <Card>
        <MailboxForm apps={apps.map((a) => ({ id: a.id, label: a.label, endpoints: a.endpoints }))} initial={null} save={saveMailboxAction} />
      </Card>
    </>
  );
}
