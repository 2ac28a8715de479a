import Link from "next/link";
import type { ReactNode } from "react";
import { Alert, Card, PageHeader } from "@/components/ui/card";
import { CopyValue } from "@/components/ui/copy-button";
import { requirePageUser } from "@/lib/auth/session";
import { getInstallationFacts } from "@/lib/settings/installation-facts";
import { getSettings } from "@/lib/settings/settings";
import { SettingsForm } from "./settings-form";

export const metadata = { title: "Settings" };

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[14rem_1fr]">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="text-sm break-all text-slate-900">{children}</dd>
    </div>
  );
}

export default async function SettingsPage() {
  await requirePageUser("settings.read");
  const [facts, settings] = await Promise.all([getInstallationFacts(), getSettings()]);
  return (
    <>
      <PageHeader
        title="Settings"
        description="This installation's addresses and keys (set by environment variables at start) and the settings admins change here."
        actions={
          <div className="flex gap-2">
            <Link href="/settings/notifications" className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium hover:bg-slate-50">
              Notifications
            </Link>
            <Link href="/settings/users" className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium hover:bg-slate-50">
              Manage users
            </Link>
            <Link href="/settings/api-keys" className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium hover:bg-slate-50">
              API keys
            </Link>
          </div>
        }
      />
      <div className="space-y-6">
        <Card title="Installation" description="Change these with environment variables and a restart; the README lists them all.">
          <dl className="divide-y divide-slate-100">
            <Fact label="Public URL (PORTAL_URL)">
              <code data-testid="portal-url">{facts.portalUrl}</code>
            </Fact>
            <Fact label="OAuth redirect URI">
              <CopyValue value={facts.redirectUri} testId="redirect-uri" />
              <p className="mt-1 text-xs text-slate-500">Register this exact address, platform Web, in each Entra ID app registration.</p>
            </Fact>
            <Fact label="Database">
              {facts.databaseProvider === "sqlite" ? "SQLite" : "PostgreSQL"} · <code>{facts.databaseLocation}</code>
            </Fact>
            <Fact label="Encryption key">
              {facts.keySource === "env" ? "PORTAL_ENCRYPTION_KEY" : <code>{facts.keyFilePath}</code>} · key ID <code>{facts.primaryKeyId}</code>
              {facts.readableKeyIds.length > 1 && <span> · also readable: {facts.readableKeyIds.slice(1).join(", ")}</span>}
            </Fact>
            <Fact label="Behind a reverse proxy (TRUST_PROXY)">{facts.trustProxy ? "Yes: X-Forwarded-* headers are honoured" : "No: X-Forwarded-* headers are ignored"}</Fact>
            <Fact label="Secure cookies and HSTS">{facts.secureCookies ? "On (public URL is https)" : "Off (public URL is http)"}</Fact>
            <Fact label="Microsoft Entra ID sign-in">{facts.entraSignIn ? "Configured" : "Not configured (ENTRA_SIGNIN_* variables)"}</Fact>
          </dl>
          {facts.redirectUriIssues.map((issue) => (
            <div key={issue.code} className="mt-3">
              <Alert tone="warning">{issue.message}</Alert>
            </div>
          ))}
        </Card>
        <Card title="Portal settings">
          <SettingsForm settings={settings} />
        </Card>
      </div>
    </>
  );
}
