import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { DeleteMailboxButton } from "@/components/mailboxes/delete-mailbox-button";
import { Alert, Badge, Card, PageHeader } from "@/components/ui/card";
import { formatTime } from "@/components/ui/dates";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getMailbox } from "@/lib/mailboxes/mailbox-view";
import { ewsRetirement, protocolLabels } from "@/lib/microsoft/protocols";
import { deleteMailboxAction } from "../actions";

export const metadata = { title: "Mailbox" };

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[12rem_1fr]">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="text-sm break-all text-slate-900">{children}</dd>
    </div>
  );
}

export default async function MailboxPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("mailboxes.read");
  const mailbox = await getMailbox((await params).id);
  if (!mailbox) notFound();
  const canWrite = can(user.role, "mailboxes.write");
  const usesEws = mailbox.inboundProtocol === "ews" || mailbox.outboundProtocol === "ews";
  const server = (p: string | null, host: string | null, port: number | null, security: string | null) =>
    p ? (
      <>
        {protocolLabels[p as keyof typeof protocolLabels]}
        {host && (
          <span className="ml-2 font-mono text-xs text-slate-600">
            {host}:{port} · {security === "tls" ? "TLS" : "STARTTLS"}
          </span>
        )}
      </>
    ) : (
      "—"
    );
  return (
    <>
      <PageHeader
        title={mailbox.address}
        description={mailbox.displayName || undefined}
        actions={
          canWrite && (
            <div className="flex items-start gap-2">
              <Link href={`/mailboxes/${mailbox.id}/edit`} className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium hover:bg-slate-50">
                Edit
              </Link>
              <DeleteMailboxButton id={mailbox.id} address={mailbox.address} remove={deleteMailboxAction} />
            </div>
          )
        }
      />
      <div className="space-y-6">
        {usesEws && (
          <Alert tone="warning">
            {ewsRetirement.headline} {ewsRetirement.details.join(" ")} {ewsRetirement.recommendation}
          </Alert>
        )}
        <Card title="Settings">
          <dl className="divide-y divide-slate-100">
            <Row label="Reads mail with">{server(mailbox.inboundProtocol, mailbox.inboundHost, mailbox.inboundPort, mailbox.inboundSecurity)}</Row>
            <Row label="Sends mail with">{server(mailbox.outboundProtocol, mailbox.outboundHost, mailbox.outboundPort, mailbox.outboundSecurity)}</Row>
            <Row label="Authentication">{mailbox.authMode === "app_only" ? "App-only (client credentials)" : "Delegated (a user consents)"}</Row>
            {mailbox.signingIdentity && <Row label="Signing identity">{mailbox.signingIdentity}</Row>}
            <Row label="Account">{mailbox.accountKind === "personal" ? "Personal Microsoft account" : "Work or school"}</Row>
            <Row label="App registration">
              <Link className="text-blue-700 underline" href={`/app-registrations/${mailbox.appRegistration.id}`}>
                {mailbox.appRegistration.label}
              </Link>
            </Row>
            <Row label="Owner">{mailbox.ownerEmail ?? "—"}</Row>
            <Row label="Tags">
              <span className="flex flex-wrap gap-1">{mailbox.tags.length ? mailbox.tags.map((t) => <Badge key={t}>{t}</Badge>) : "—"}</span>
            </Row>
            <Row label="Changed">{formatTime(mailbox.updatedAt)}</Row>
          </dl>
        </Card>
        <Card title="Connection" description="Consent, tokens and health checks for this mailbox.">
          <p className="text-sm text-slate-600">
            Not connected. Connecting a mailbox (consent in the browser, stored grant, health check) is not available in this version yet.
          </p>
        </Card>
      </div>
    </>
  );
}
