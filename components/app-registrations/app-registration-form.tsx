"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field, SelectField, TextArea } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";
import { clouds } from "@/lib/microsoft/clouds";

export interface AppRegistrationFormInitial {
  id: string;
  label: string;
  cloud: string;
  tenant: string;
  audience: string;
  clientId: string;
  credentialType: "secret" | "certificate";
  secretHint: string | null;
  hasSecret: boolean;
  hasCertificate: boolean;
  certificateThumbprintSha1: string | null;
  credentialExpiresAt: string | null;
  credentialSetAt: string | null;
  servicePrincipalObjectId: string | null;
  custom: Record<string, string>;
}

const cloudOptions = [
  ...Object.entries(clouds).map(([value, c]) => ({ value, label: c.label })),
  { value: "custom", label: "Custom: set every host yourself (a sovereign deployment or the local stand-in)" },
];

// The Azure portal's "Supported account types", word for word, so the admin can match them.
const audienceOptions = [
  { value: "single_tenant", label: "Accounts in this organizational directory only (single tenant)" },
  { value: "multi_tenant", label: "Accounts in any organizational directory (multitenant)" },
  { value: "multi_tenant_and_personal", label: "Accounts in any organizational directory and personal Microsoft accounts" },
  { value: "personal_only", label: "Personal Microsoft accounts only" },
];

const customFields: { name: string; label: string; placeholder: string }[] = [
  { name: "customLoginHost", label: "Login host", placeholder: "login.microsoftonline.com" },
  { name: "customGraphHost", label: "Graph host", placeholder: "graph.microsoft.com" },
  { name: "customOutlookDelegatedResource", label: "Delegated IMAP/POP/SMTP resource", placeholder: "https://outlook.office.com" },
  { name: "customExchangeResource", label: "Exchange (EWS, app-only) resource", placeholder: "https://outlook.office365.com" },
  { name: "customGraphResource", label: "Graph resource", placeholder: "https://graph.microsoft.com" },
  { name: "customImapHost", label: "IMAP host", placeholder: "outlook.office365.com" },
  { name: "customPopHost", label: "POP3 host", placeholder: "outlook.office365.com" },
  { name: "customSmtpHost", label: "SMTP host", placeholder: "smtp.office365.com" },
  { name: "customEwsUrl", label: "EWS URL (optional)", placeholder: "https://outlook.office365.com/EWS/Exchange.asmx" },
];

export function AppRegistrationForm({
  initial,
  save,
}: {
  initial: AppRegistrationFormInitial | null;
  save: (id: string | null, formData: FormData) => Promise<ActionResult<{ id: string; warnings: Record<string, string> }>>;
}) {
  const router = useRouter();
  const [cloud, setCloud] = useState(initial?.cloud ?? "global");
  const [credentialType, setCredentialType] = useState(initial?.credentialType ?? "secret");
  const form = useActionForm((fd) => save(initial?.id ?? null, fd), {
    onSuccess: (result) => {
      if (Object.keys(result.data.warnings).length === 0) router.push(`/app-registrations/${result.data.id}`);
    },
  });
  const savedWithWarnings = form.result?.ok && Object.keys(form.result.data.warnings).length > 0 ? form.result.data.id : null;

  return (
    <form onSubmit={form.onSubmit} noValidate className="space-y-8" aria-label="App registration">
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      {savedWithWarnings && (
        <Alert tone="warning">
          Saved. Read the warnings beside the fields, then{" "}
          <Link className="font-medium underline" href={`/app-registrations/${savedWithWarnings}`}>
            open the setup guide
          </Link>
          .
        </Alert>
      )}

      <fieldset className="space-y-4">
        <legend className="text-base font-semibold text-slate-900">The application</legend>
        <Field label="Name in this portal" name="label" defaultValue={initial?.label} error={form.fieldError("label")} hint="For example the app registration's name in Azure." />
        <SelectField
          label="Cloud"
          name="cloud"
          value={cloud}
          onChange={(e) => setCloud(e.target.value)}
          options={cloudOptions}
          error={form.fieldError("cloud")}
          hint="Where the tenant lives. GCC (Moderate) tenants use Global. Register the app in that cloud's own portal."
        />
        {cloud === "custom" && (
          <div className="grid gap-4 rounded-md border border-slate-200 bg-slate-50 p-4 md:grid-cols-2">
            {customFields.map((f) => (
              <Field
                key={f.name}
                label={f.label}
                name={f.name}
                placeholder={f.placeholder}
                defaultValue={initial?.custom[f.name] ?? ""}
                error={form.fieldError(f.name)}
              />
            ))}
            <div className="md:col-span-2">
              <TextArea
                label="Extra trusted CA certificate (PEM, optional)"
                name="customTrustedCaPem"
                defaultValue={initial?.custom.customTrustedCaPem ?? ""}
                error={form.fieldError("customTrustedCaPem")}
                hint="Only when these hosts use certificates from your own CA. Trusted for this app registration's connections only."
              />
            </div>
          </div>
        )}
        <SelectField
          label="Supported account types"
          name="audience"
          defaultValue={initial?.audience ?? "single_tenant"}
          options={audienceOptions}
          error={form.fieldError("audience")}
          hint="As chosen in Azure under Authentication → Supported account types."
        />
        <Field
          label="Directory (tenant) ID"
          name="tenant"
          defaultValue={initial?.tenant}
          error={form.fieldError("tenant")}
          warning={form.fieldWarning("tenant")}
          hint="From the app's Overview page: a GUID, or a verified domain such as contoso.onmicrosoft.com. Multi-tenant apps may use organizations, common or consumers for delegated sign-in."
          autoComplete="off"
          spellCheck={false}
        />
        <Field
          label="Application (client) ID"
          name="clientId"
          defaultValue={initial?.clientId}
          error={form.fieldError("clientId")}
          hint="From the app's Overview page."
          autoComplete="off"
          spellCheck={false}
        />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="text-base font-semibold text-slate-900">Credential</legend>
        <SelectField
          label="Credential type"
          name="credentialType"
          value={credentialType}
          onChange={(e) => setCredentialType(e.target.value as "secret" | "certificate")}
          options={[
            { value: "secret", label: "Client secret" },
            { value: "certificate", label: "Certificate (recommended: no secret to copy, longer lifetime)" },
          ]}
        />
        {credentialType === "secret" ? (
          <>
            <Field
              label={initial?.hasSecret ? "Replace the client secret (Value)" : "Client secret (Value)"}
              name="clientSecret"
              type="password"
              autoComplete="off"
              spellCheck={false}
              error={form.fieldError("clientSecret")}
              hint={
                initial?.hasSecret ? (
                  <>
                    Stored: <code data-testid="secret-hint">{initial.secretHint}</code>, set {initial.credentialSetAt?.slice(0, 10)}. Leave empty to keep it. It is never shown again.
                  </>
                ) : (
                  "Certificates & secrets → New client secret → copy the Value column (not the Secret ID). Azure shows it only once. Stored encrypted; never shown again."
                )
              }
            />
            <Field
              label="Secret expires on"
              name="credentialExpiresAt"
              type="date"
              defaultValue={initial?.credentialExpiresAt ?? ""}
              error={form.fieldError("credentialExpiresAt")}
              warning={form.fieldWarning("credentialExpiresAt")}
              hint="The Expires column in Certificates & secrets. The portal warns 30, 14 and 7 days before."
            />
          </>
        ) : (
          <>
            {initial?.hasCertificate && (
              <p className="text-sm text-slate-600">
                Stored certificate, thumbprint <code>{initial.certificateThumbprintSha1}</code>, expires {initial.credentialExpiresAt}. Leave both fields empty to keep it.
              </p>
            )}
            <TextArea
              label="Certificate (PEM)"
              name="certificatePem"
              placeholder="-----BEGIN CERTIFICATE-----"
              error={form.fieldError("certificatePem")}
              warning={form.fieldWarning("certificatePem")}
              hint="The public certificate you uploaded under Certificates & secrets → Certificates. Its thumbprint is shown after saving, to compare with Azure's."
            />
            <TextArea
              label="Private key (PEM)"
              name="privateKeyPem"
              placeholder="-----BEGIN PRIVATE KEY-----"
              error={form.fieldError("privateKeyPem")}
              hint="Stored encrypted; never shown again."
              autoComplete="off"
            />
          </>
        )}
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="text-base font-semibold text-slate-900">App-only access (optional)</legend>
        <Field
          label="Enterprise application Object ID"
          name="servicePrincipalObjectId"
          defaultValue={initial?.servicePrincipalObjectId ?? ""}
          error={form.fieldError("servicePrincipalObjectId")}
          hint="Microsoft Entra ID → Enterprise applications → this app → Overview → Object ID. Not the app registration's Object ID. Filled into the Exchange PowerShell; Check credentials also finds it."
          autoComplete="off"
          spellCheck={false}
        />
      </fieldset>

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          {form.pending ? "Checking and saving…" : initial ? "Save changes" : "Save app registration"}
        </Button>
        <Link href={initial ? `/app-registrations/${initial.id}` : "/app-registrations"} className="text-sm text-slate-600 underline">
          Cancel
        </Link>
      </div>
    </form>
  );
}
