import { EmptyState, PageHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "Mailboxes" };

export default async function MailboxesPage() {
  await requirePageUser("mailboxes.read");
  return (
    <>
      <PageHeader title="Mailboxes" description="Inbound and outbound mailboxes, their protocols, servers and the app registration they use." />
      <EmptyState title="No mailboxes yet">
        <p>Adding mailboxes (IMAP, POP3, SMTP, Microsoft Graph, EWS) is not available in this version yet.</p>
      </EmptyState>
    </>
  );
}
