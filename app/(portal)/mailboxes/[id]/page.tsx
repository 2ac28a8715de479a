import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { ExplanationBox } from "@/components/app-registrations/explanation-box";
import { HealthHistory } from "@/components/health/health-history";
import { ConnectionPanel } from "@/components/mailboxes/connection-panel";
import { DeleteButton } from "@/components/ui/delete-button";
import { GrantStateBadge, grantStateActions } from "@/components/mailboxes/grant-state-badge";
import { Alert, Badge, Card, PageHeader } from "@/components/ui/card";
import { formatTime } from "@/components/ui/dates";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { getMailboxHealthHistory } from "@/lib/health/get-mailbox-health-history";
import { getConnection } from "@/lib/mailboxes/connection-view";
import { inspectTokens } from "@/lib/mailboxes/inspect-tokens";
import { getMailbox } from "@/lib/mailboxes/mailbox-view";
import { ewsRetirement, protocolLabels } from "@/lib/microsoft/protocols";
import { deleteMailboxAction } from "../actions";
import {
  connectMailboxAction,
  copyConsentLinkAction,
  createConsentLinkAction,
  disconnectMailboxAction,
  revokeConsentLinksAction,
  testMailboxNowAction,
} from "./connection-actions";

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
  const [connection, app] = await Promise.all([getConnection(mailbox.id), getAppRegistration(mailbox.appRegistration.id)]);
  const inspections = connection && app ? inspectTokens(mailbox, app, connection) : [];
  const health = await getMailboxHealthHistory(mailbox.id);
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
              <DeleteButton id={mailbox.id} question={`Delete ${mailbox.address} from this portal? Its grant and history are deleted too.`} remove={deleteMailboxAction} afterHref="/mailboxes" />
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
        <Card title="Connection" description="Consent, tokens and health checks for this mailbox. Tokens are never shown.">
          <div className="space-y-4">
            <dl className="divide-y divide-slate-100">
              <Row label="State">
                <span data-testid="grant-state">
                  <GrantStateBadge state={connection?.state ?? null} />
                </span>
                {connection && grantStateActions[connection.state] && <p className="mt-1 text-sm text-red-800">{grantStateActions[connection.state]}</p>}
              </Row>
              {connection && (
                <>
                  <Row label={connection.kind === "app_only" ? "Service principal" : "Consenting account"}>
                    <span data-testid="grant-account">{connection.kind === "app_only" ? connection.objectId : connection.userName}</span>
                    {connection.tenantId && <span className="ml-2 font-mono text-xs text-slate-500">tenant {connection.tenantId}</span>}
                  </Row>
                  <Row label={connection.kind === "app_only" ? "Roles" : "Scopes"}>
                    <span className="font-mono text-xs">{connection.scopes.join(" ") || "—"}</span>
                  </Row>
                  <Row label="Consented">{formatTime(connection.consentedAt)}</Row>
                  <Row label="Last refresh">{formatTime(connection.lastRefreshAt)}</Row>
                  {connection.inactivityDaysLeft !== null && (
                    <Row label="Refresh token lapses">
                      in {connection.inactivityDaysLeft} days without use (90-day inactivity limit; the portal refreshes idle grants daily)
                    </Row>
                  )}
                  {connection.lastError && (
                    <Row label="Last error">
                      <ExplanationBox explanation={connection.lastError} />
                    </Row>
                  )}
                </>
              )}
            </dl>
            <ConnectionPanel
              mailboxId={mailbox.id}
              authMode={mailbox.authMode}
              connected={connection !== null}
              can={{
                connect: can(user.role, "mailboxes.write"),
                createLink: can(user.role, "consent_links.create"),
                copyLink: can(user.role, "consent_links.copy"),
                disconnect: can(user.role, "grants.disconnect"),
                test: can(user.role, "health.run"),
              }}
              actions={{
                connect: connectMailboxAction,
                createLink: createConsentLinkAction,
                copyLink: copyConsentLinkAction,
                revokeLinks: revokeConsentLinksAction,
                disconnect: disconnectMailboxAction,
                testNow: testMailboxNowAction,
              }}
            />
          </div>
        </Card>
        <Card title="Health history" description="Every check of this mailbox (Test now, sweeps, after consent): outcome and latency over the last 7 days, uptime, and why recent checks failed.">
          <HealthHistory history={health} />
        </Card>
        {connection && inspections.length > 0 && (
          <Card title="Token inspector" description="The current access tokens' claims, checked against what each protocol needs. The tokens themselves are never shown.">
            <table className="min-w-full text-left text-sm" data-testid="token-inspector">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th className="py-1 pr-4">Protocol</th>
                  <th className="py-1 pr-4">Audience</th>
                  <th className="py-1 pr-4">Scopes / roles</th>
                  <th className="py-1 pr-4">User · tenant</th>
                  <th className="py-1 pr-4">Expires</th>
                  <th className="py-1">Check</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {inspections.map((i) => (
                  <tr key={i.label} className="align-top">
                    <td className="py-2 pr-4">{i.label}</td>
                    <td className="py-2 pr-4 font-mono text-xs">{i.token?.audience ?? `(none yet; needs ${i.expectedAudience})`}</td>
                    <td className="py-2 pr-4 font-mono text-xs">{i.token?.scopesOrRoles.join(" ") ?? "—"}</td>
                    <td className="py-2 pr-4 text-xs">
                      {i.token?.user ?? "—"}
                      <div className="font-mono text-slate-500">{i.token?.tenant}</div>
                    </td>
                    <td className="py-2 pr-4 text-xs">{i.token ? formatTime(i.token.expiresAt) : "—"}</td>
                    <td className="py-2 text-xs">
                      {!i.token ? (
                        <Badge tone="slate">fetched on first use</Badge>
                      ) : i.problems.length === 0 ? (
                        <Badge tone="green">matches</Badge>
                      ) : (
                        i.problems.map((p) => (
                          <p key={p.kind} className="text-red-800">
                            {p.message}
                          </p>
                        ))
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
      </div>
    </>
  );
}
