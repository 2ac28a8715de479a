import Link from "next/link";
import { DeliveryLogTable } from "@/components/notify/delivery-log-table";
import { WebhookFormat } from "@/components/notify/webhook-format";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { listDeliveries } from "@/lib/notify/list-deliveries";
import { listChannels, listSendingMailboxes } from "@/lib/notify/notification-channels";
import { notificationEventInfo } from "@/lib/notify/notification-events";
import { getNotificationRules } from "@/lib/notify/notification-settings";
import { getSmtpSettings } from "@/lib/notify/smtp-settings";
import { AddChannelForm } from "./add-channel-form";
import { ChannelActions } from "./channel-actions";
import { ChannelEventsForm } from "./channel-events-form";
import { RulesForm } from "./rules-form";
import { SmtpSettingsForm } from "./smtp-settings-form";

export const metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  await requirePageUser("notifications.write");
  const [channels, mailboxes, rules, smtp, deliveries] = await Promise.all([listChannels(), listSendingMailboxes(), getNotificationRules(), getSmtpSettings(), listDeliveries({ take: 50 })]);
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Who is told when a mailbox fails, recovers or needs its owner to sign in again, and before app credentials or refresh tokens run out. Each change is told once; reminders at most daily."
        actions={
          <Link href="/settings" className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium hover:bg-slate-50">
            Back to settings
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title="Channels">
          {channels.length === 0 ? (
            <EmptyState title="No channels yet">Add a webhook or an e-mail channel below; nothing is sent until one exists.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="channels">
              {channels.map((c) => (
                <li key={c.id} className="space-y-2 py-4" data-channel={c.name}>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium text-slate-900">{c.name}</span>
                    <Badge tone="blue">{c.kind === "webhook" ? "Webhook" : "E-mail"}</Badge>
                    {c.enabled ? <Badge tone="green">On</Badge> : <Badge tone="slate">Off</Badge>}
                  </div>
                  <p className="text-sm break-all text-slate-700">
                    {c.kind === "webhook" ? (
                      <code>{c.urlShown}</code>
                    ) : (
                      <>
                        To {c.emailTo} · through {c.emailVia === "mailbox" ? (c.viaMailbox ? c.viaMailbox.address : "a mailbox that no longer exists") : "the SMTP server below"}
                      </>
                    )}
                  </p>
                  <p className="text-xs text-slate-600">Events: {c.allEvents ? "all" : c.events.map((e) => notificationEventInfo[e].label).join(", ")}</p>
                  <ChannelActions channelId={c.id} name={c.name} kind={c.kind} enabled={c.enabled} />
                  <ChannelEventsForm channelId={c.id} events={c.events} />
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Add a channel" description="A webhook receives signed JSON (format below); e-mail goes through one of this portal's connected mailboxes or through an SMTP server.">
          <AddChannelForm mailboxes={mailboxes} smtpConfigured={smtp !== null} />
        </Card>
        <Card title="Delivery log" description="Every attempt, newest first, with the receiver's answer (HTTP status for webhooks, the server's status for e-mail). Nothing secret is kept here.">
          <DeliveryLogTable rows={deliveries} />
        </Card>
        <Card title="Rules">
          <RulesForm rules={rules} emailChannels={channels.filter((c) => c.kind === "email").map((c) => ({ id: c.id, name: c.name }))} />
        </Card>
        <Card title="SMTP server for e-mail notifications" description="Only for e-mail channels that send through an SMTP server rather than a connected mailbox.">
          <SmtpSettingsForm settings={smtp} />
        </Card>
        <Card title="Webhook format and signature">
          <WebhookFormat />
        </Card>
      </div>
    </>
  );
}
