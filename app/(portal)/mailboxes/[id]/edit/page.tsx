import { notFound } from "next/navigation";
import { MailboxForm } from "@/components/mailboxes/mailbox-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { listAppRegistrations } from "@/lib/app-registrations/app-registration-view";
import { getMailbox } from "@/lib/mailboxes/mailbox-view";
import { saveMailboxAction } from "../../actions";

export const metadata = { title: "Edit mailbox" };

export default async function EditMailboxPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("mailboxes.write");
  const [mailbox, apps] = await Promise.all([getMailbox((await params).id), listAppRegistrations()]);
  if (!mailbox) notFound();
  const s = (v: string | number | null) => (v === null ? "" : String(v));
  return (
    <>
      <PageHeader title={`Edit ${mailbox.address}`} />
      <Card>
        <MailboxForm
          apps={apps.map((a) => ({ id: a.id, label: a.label, endpoints: a.endpoints }))}
          save={saveMailboxAction}
          initial={{
            id: mailbox.id,
            address: mailbox.address,
            displayName: mailbox.displayName,
            direction: mailbox.direction,
            inboundProtocol: s(mailbox.inboundProtocol),
            inboundHost: s(mailbox.inboundHost),
            inboundPort: s(mailbox.inboundPort),
            inboundSecurity: s(mailbox.inboundSecurity),
            outboundProtocol: s(mailbox.outboundProtocol),
            outboundHost: s(mailbox.outboundHost),
            outboundPort: s(mailbox.outboundPort),
            outboundSecurity: s(mailbox.outboundSecurity),
            authMode: mailbox.authMode,
            appRegistrationId: mailbox.appRegistration.id,
            signingIdentity: s(mailbox.signingIdentity),
            ownerEmail: s(mailbox.ownerEmail),
            tags: mailbox.tags.join(", "),
          }}
        />
      </Card>
    </>
  );
}
