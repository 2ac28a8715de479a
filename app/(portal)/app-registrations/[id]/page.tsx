import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { AdminConsentButton, CheckCredentialsButton } from "@/components/app-registrations/app-registration-actions";
import { DeleteButton } from "@/components/ui/delete-button";
import { CredentialCheckResult } from "@/components/app-registrations/credential-check-result";
import { Alert, Badge, Card, PageHeader } from "@/components/ui/card";
import { CopyBlock, CopyValue } from "@/components/ui/copy-button";
import { ExpiryBadge, formatTime } from "@/components/ui/dates";
import { can } from "@/lib/auth/permissions";
import { getBrowsingOrigin, requirePageUser } from "@/lib/auth/session";
import type { ResourceCheck } from "@/lib/app-registrations/check-app-credentials";
import { buildSetupGuide } from "@/lib/app-registrations/setup-guide";
import { authModeSchema, inboundProtocolSchema, outboundProtocolSchema } from "@/lib/microsoft/protocols";
import { AppError } from "@/lib/errors";
import { checkAppCredentialsAction, deleteAppRegistrationAction, startAdminConsentAction } from "../actions";

export const metadata = { title: "App registration" };

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white shadow-sm" aria-labelledby={`step-${n}`}>
      <h2 id={`step-${n}`} className="flex items-center gap-3 border-b border-slate-100 px-5 py-3 text-base font-semibold text-slate-900">
        <span className="flex h-6 w-6 items-center justify-center rounded-full bg-blue-700 text-xs text-white">{n}</span>
        {title}
      </h2>
      <div className="space-y-3 px-5 py-4 text-sm text-slate-700">{children}</div>
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 sm:grid-cols-[13rem_1fr] sm:items-start">
      <span className="pt-1 text-sm font-medium text-slate-600">{label}</span>
      <div className="min-w-0">{children}</div>
    </div>
  );
}

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function AppRegistrationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const user = await requirePageUser("apps.read");
  const { id } = await params;
  const sp = await searchParams;
  const preview = {
    mode: authModeSchema.catch("delegated").parse(one(sp.mode)),
    inbound: inboundProtocolSchema.nullable().catch("imap").parse(one(sp.inbound) === "none" ? null : (one(sp.inbound) ?? "imap")),
    outbound: outboundProtocolSchema.nullable().catch("smtp").parse(one(sp.outbound) === "none" ? null : (one(sp.outbound) ?? "smtp")),
  };
  const guide = await buildSetupGuide(id, await getBrowsingOrigin(), preview).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  const { app } = guide;
  const canWrite = can(user.role, "apps.write");
  const lastResources = (app.lastCheck?.detail.resources ?? []) as ResourceCheck[];

  return (
    <>
      <PageHeader
        title={app.label}
        description={`${app.cloudLabel} · tenant ${app.tenant} · ${app.mailboxCount} mailbox${app.mailboxCount === 1 ? "" : "es"}`}
        actions={
          canWrite && (
            <div className="flex items-start gap-2">
              <Link href={`/app-registrations/${app.id}/edit`} className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium hover:bg-slate-50">
                Edit
              </Link>
              <DeleteButton id={app.id} question={`Delete the app registration “${app.label}” from this portal? Its stored credential is deleted too.`} remove={deleteAppRegistrationAction} afterHref="/app-registrations" />
            </div>
          )
        }
      />

      <div className="space-y-6">
        <Card title="Credential" description="Stored encrypted. Only a hint is ever shown.">
          <dl className="space-y-2 text-sm">
            <Row label="Type">{app.credentialType === "secret" ? "Client secret" : "Certificate"}</Row>
            {app.credentialType === "secret" ? (
              <Row label="Secret">
                <code data-testid="secret-hint">{app.secretHint ?? "none stored"}</code>
              </Row>
            ) : (
              <>
                <Row label="Thumbprint (SHA-1)">
                  <CopyValue value={app.certificateThumbprintSha1 ?? ""} testId="thumbprint-sha1" />
                </Row>
                <Row label="Thumbprint (SHA-256)">
                  <CopyValue value={app.certificateThumbprintSha256 ?? ""} testId="thumbprint-sha256" />
                </Row>
              </>
            )}
            <Row label="Expires">
              <ExpiryBadge date={app.credentialExpiresAt} />
            </Row>
            <Row label="Last check">
              {app.lastCheck ? (
                <span>
                  {formatTime(app.lastCheck.at)} · {app.lastCheck.outcome === "ok" ? <Badge tone="green">token issued</Badge> : <Badge tone="red">failed</Badge>}
                </span>
              ) : (
                "not checked yet"
              )}
            </Row>
          </dl>
          {app.lastCheck && app.lastCheck.outcome === "failed" && (
            <div className="mt-4">
              <CredentialCheckResult resources={lastResources} />
            </div>
          )}
          {canWrite && (
            <div className="mt-4">
              <CheckCredentialsButton id={app.id} check={checkAppCredentialsAction} />
              <p className="mt-2 text-xs text-slate-500">
                Asks Microsoft for an app-only (client credentials) token and compares its roles with what this app&apos;s app-only mailboxes need.
              </p>
            </div>
          )}
        </Card>

        <h2 className="pt-2 text-lg font-semibold text-slate-900">Setup guide</h2>
        <p className="-mt-4 text-sm text-slate-600">
          Follow these steps with the Azure portal open beside this page.{" "}
          {guide.usesFrom === "mailboxes"
            ? `They cover what this app's mailboxes use: ${guide.uses.map((u) => u.label).join("; ")}.`
            : "This app has no mailboxes yet, so the steps below are for the protocols chosen here:"}
        </p>
        {guide.usesFrom === "preview" && (
          <form method="get" className="flex flex-wrap items-end gap-3 rounded-md border border-slate-200 bg-white p-4 text-sm">
            <label className="space-y-1">
              <span className="block font-medium">Mode</span>
              <select name="mode" defaultValue={preview.mode} className="rounded-md border border-slate-300 px-2 py-1">
                <option value="delegated">Delegated (a user signs in)</option>
                <option value="app_only">App-only (client credentials)</option>
              </select>
            </label>
            <label className="space-y-1">
              <span className="block font-medium">Read mail with</span>
              <select name="inbound" defaultValue={preview.inbound ?? "none"} className="rounded-md border border-slate-300 px-2 py-1">
                <option value="imap">IMAP</option>
                <option value="pop3">POP3</option>
                <option value="graph">Microsoft Graph</option>
                <option value="ews">EWS</option>
                <option value="none">(none)</option>
              </select>
            </label>
            <label className="space-y-1">
              <span className="block font-medium">Send mail with</span>
              <select name="outbound" defaultValue={preview.outbound ?? "none"} className="rounded-md border border-slate-300 px-2 py-1">
                <option value="smtp">SMTP</option>
                <option value="graph">Microsoft Graph</option>
                <option value="ews">EWS</option>
                <option value="none">(none)</option>
              </select>
            </label>
            <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50">
              Show steps
            </button>
          </form>
        )}

        <Step n={1} title="Register the application (Microsoft Entra ID → App registrations → New registration)">
          <Row label="Supported account types">
            {
              {
                single_tenant: "Accounts in this organizational directory only",
                multi_tenant: "Accounts in any organizational directory",
                multi_tenant_and_personal: "Accounts in any organizational directory and personal Microsoft accounts",
                personal_only: "Personal Microsoft accounts only",
              }[app.audience]
            }{" "}
            <span className="text-xs text-slate-500">(manifest signInAudience: {guide.signInAudience})</span>
          </Row>
          <Row label="Redirect URI platform">
            <strong>Web</strong> <span className="text-xs text-slate-500">(not SPA, not Mobile and desktop)</span>
          </Row>
          <Row label="Redirect URI">
            <CopyValue value={guide.redirectUri} testId="guide-redirect-uri" />
          </Row>
          {guide.redirectUriIssues.map((i) => (
            <Alert key={i.code} tone={i.severity === "error" ? "error" : "warning"}>
              {i.message}
            </Alert>
          ))}
          <p className="text-xs text-slate-500">
            “Allow public client flows” stays off: the portal is a confidential client. If the Enterprise application has “Assignment required” on,
            assign the users who will consent under Users and groups.
          </p>
        </Step>

        <Step n={2} title="Copy the IDs into this portal (Overview page)">
          <Row label="Application (client) ID">
            <CopyValue value={app.clientId} testId="guide-client-id" />
          </Row>
          <Row label="Directory (tenant) ID">
            <CopyValue value={app.tenant} testId="guide-tenant" />
          </Row>
          <Row label="Endpoints">
            <div className="space-y-2">
              <CopyValue value={guide.endpoints.authorize} testId="guide-authorize-endpoint" />
              <CopyValue value={guide.endpoints.token} testId="guide-token-endpoint" />
              <CopyValue value={guide.endpoints.openIdConfiguration} />
            </div>
          </Row>
        </Step>

        <Step n={3} title="Create the credential (Certificates & secrets)">
          {app.credentialType === "secret" ? (
            <p>
              New client secret → choose an expiry (at most 24 months) → <strong>copy the Value column, not the Secret ID</strong>; Azure shows the Value only
              once. Paste it under Edit, with its expiry date.
            </p>
          ) : (
            <p>Certificates → Upload certificate (the .cer/.pem public part). Compare the thumbprint Azure shows with the one above.</p>
          )}
        </Step>

        <Step n={4} title="Add the API permissions (API permissions → Add a permission)">
          <div className="overflow-x-auto">
            <table className="min-w-full text-left text-sm" data-testid="guide-permissions">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th className="py-1 pr-4">API</th>
                  <th className="py-1 pr-4">Permission</th>
                  <th className="py-1 pr-4">Type</th>
                  <th className="py-1 pr-4">Where to find it</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {guide.permissions.map((p) => (
                  <tr key={`${p.apiAppId}:${p.id}`} className="align-top">
                    <td className="py-2 pr-4">{p.api}</td>
                    <td className="py-2 pr-4 font-mono text-xs">
                      {p.permission}
                      {p.note && <p className="mt-1 font-sans text-xs text-amber-800">{p.note}</p>}
                    </td>
                    <td className="py-2 pr-4">{p.type}</td>
                    <td className="py-2 pr-4 text-xs text-slate-600">{p.where}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>Or paste this into the Manifest, as the value of requiredResourceAccess:</p>
          <CopyBlock value={guide.manifestJson} language="json" testId="guide-manifest" />
        </Step>

        <Step n={5} title="Grant admin consent">
          {canWrite && (
            <div className="space-y-1">
              <AdminConsentButton id={app.id} start={startAdminConsentAction} />
              <p className="text-xs text-slate-500">
                Opens Microsoft&apos;s admin-consent page for tenant {app.tenant}. A tenant admin approves; the portal then proves it with a token and connects this
                app&apos;s app-only mailboxes.
              </p>
            </div>
          )}
          <p>
            Or, in the Azure portal, on API permissions select <strong>Grant admin consent for your organisation</strong> (a Global, Application or Cloud Application
            Administrator can). Application permissions always need it; delegated mail permissions can also be consented by each user when they connect.
          </p>
        </Step>

        <Step n={6} title="Exchange Online PowerShell">
          {guide.powerShell.map((section) => (
            <div key={section.id} className="space-y-2">
              <h3 className="font-semibold text-slate-900">{section.title}</h3>
              <p className="whitespace-pre-line">{section.explanation}</p>
              <CopyBlock value={section.script} language="powershell" testId={`guide-ps-${section.id}`} />
            </div>
          ))}
        </Step>

        {guide.servers.length > 0 && (
          <Step n={7} title="Server settings (filled in for each mailbox)">
            <table className="text-left text-sm">
              <tbody>
                {guide.servers.map((s) => (
                  <tr key={s.protocol}>
                    <td className="py-1 pr-4 font-medium">{s.label}</td>
                    <td className="py-1 pr-4 font-mono text-xs">{s.url ?? `${s.host}:${s.port}`}</td>
                    <td className="py-1 text-xs text-slate-600">{s.url ? "HTTPS" : s.security === "tls" ? "TLS" : "STARTTLS"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Step>
        )}
      </div>
    </>
  );
}
