"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";
import type { CloudEndpoints } from "@/lib/microsoft/clouds";
import { isPersonalAccountDomain } from "@/lib/microsoft/personal-account-domains";
import { serverPresetFor, type Protocol } from "@/lib/microsoft/protocols";

export interface MailboxFormApp {
  id: string;
  label: string;
  endpoints: CloudEndpoints;
}

export interface MailboxFormInitial {
  id: string;
  address: string;
  displayName: string;
  direction: string;
  inboundProtocol: string;
  inboundHost: string;
  inboundPort: string;
  inboundSecurity: string;
  outboundProtocol: string;
  outboundHost: string;
  outboundPort: string;
  outboundSecurity: string;
  authMode: string;
  appRegistrationId: string;
  signingIdentity: string;
  ownerEmail: string;
  tags: string;
}

const inboundOptions = [
  { value: "imap", label: "IMAP" },
  { value: "pop3", label: "POP3" },
  { value: "graph", label: "Microsoft Graph" },
  { value: "ews", label: "EWS (retiring)" },
];
const outboundOptions = [
  { value: "smtp", label: "SMTP" },
  { value: "graph", label: "Microsoft Graph" },
  { value: "ews", label: "EWS (retiring)" },
];

export function MailboxForm({
  apps,
  initial,
  save,
}: {
  apps: MailboxFormApp[];
  initial: MailboxFormInitial | null;
  save: (id: string | null, formData: FormData) => Promise<ActionResult<{ id: string; warnings: Record<string, string> }>>;
}) {
  const router = useRouter();
  const [direction, setDirection] = useState(initial?.direction ?? "inbound");
  const [inbound, setInbound] = useState(initial?.inboundProtocol || "imap");
  const [outbound, setOutbound] = useState(initial?.outboundProtocol || "smtp");
  const [appId, setAppId] = useState(initial?.appRegistrationId ?? apps[0]?.id ?? "");
  const [address, setAddress] = useState(initial?.address ?? "");
  const [authMode, setAuthMode] = useState(initial?.authMode ?? "delegated");
  const app = apps.find((a) => a.id === appId);
  const personal = isPersonalAccountDomain(address);
  const preset = useMemo(
    () => (protocol: string) => (app ? serverPresetFor(protocol as Protocol, app.endpoints, { personalAccount: personal }) : null),
    [app, personal],
  );
  const form = useActionForm((fd) => save(initial?.id ?? null, fd), {
    onSuccess: (result) => {
      if (Object.keys(result.data.warnings).length === 0) router.push(`/mailboxes/${result.data.id}`);
    },
  });
  const savedWithWarnings = form.result?.ok && Object.keys(form.result.data.warnings).length > 0 ? form.result.data.id : null;

  const serverFields = (dir: "inbound" | "outbound", protocol: string) => {
    if (protocol === "graph" || protocol === "ews") {
      const p = preset(protocol);
      return <p className="text-sm text-slate-600">Uses {p?.url ?? "the cloud's endpoint"} over HTTPS; nothing to set.</p>;
    }
    const p = preset(protocol);
    const init = initial && initial[`${dir}Protocol`] === protocol ? initial : null;
    return (
      <div className="grid gap-4 md:grid-cols-[1fr_8rem_10rem]">
        <Field
          label="Host"
          name={`${dir}Host`}
          defaultValue={init?.[`${dir}Host`] ?? ""}
          placeholder={p?.host}
          hint={p ? `Empty: ${p.host}` : undefined}
          error={form.fieldError(`${dir}Host`)}
        />
        <Field
          label="Port"
          name={`${dir}Port`}
          inputMode="numeric"
          defaultValue={init?.[`${dir}Port`] ?? ""}
          placeholder={p ? String(p.port) : undefined}
          error={form.fieldError(`${dir}Port`)}
        />
        <SelectField
          label="Security"
          name={`${dir}Security`}
          defaultValue={init?.[`${dir}Security`] ?? ""}
          options={[
            { value: "", label: p ? `Default (${p.security === "tls" ? "TLS" : "STARTTLS"})` : "Default" },
            { value: "tls", label: "TLS" },
            { value: "starttls", label: "STARTTLS" },
          ]}
          error={form.fieldError(`${dir}Security`)}
          warning={form.fieldWarning(`${dir}Security`)}
        />
      </div>
    );
  };

  if (apps.length === 0) {
    return (
      <Alert tone="info">
        Add an app registration first: every mailbox authenticates through one. <Link className="underline" href="/app-registrations/new">New app registration</Link>
      </Alert>
    );
  }

  return (
    <form onSubmit={form.onSubmit} noValidate className="space-y-8" aria-label="Mailbox">
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      {savedWithWarnings && (
        <Alert tone="warning">
          Saved. Read the warnings beside the fields, then{" "}
          <Link className="font-medium underline" href={`/mailboxes/${savedWithWarnings}`}>
            open the mailbox
          </Link>
          .
        </Alert>
      )}
      <fieldset className="space-y-4">
        <legend className="text-base font-semibold text-slate-900">Mailbox</legend>
        <div className="grid gap-4 md:grid-cols-2">
          <Field
            label="E-mail address"
            name="address"
            type="email"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            error={form.fieldError("address")}
            hint={personal ? "A personal Microsoft account (Outlook.com): delegated only, with its own SMTP host." : undefined}
          />
          <Field label="Display name" name="displayName" defaultValue={initial?.displayName} error={form.fieldError("displayName")} />
        </div>
        <SelectField
          label="App registration"
          name="appRegistrationId"
          value={appId}
          onChange={(e) => setAppId(e.target.value)}
          options={apps.map((a) => ({ value: a.id, label: a.label }))}
          error={form.fieldError("appRegistrationId")}
        />
        <SelectField
          label="Authentication"
          name="authMode"
          value={authMode}
          onChange={(e) => setAuthMode(e.target.value)}
          options={[
            { value: "delegated", label: "Delegated: a user signs in once and consents; the portal keeps the refresh token" },
            { value: "app_only", label: "App-only: the application authenticates itself (admin consent and Exchange permissions)" },
          ]}
          error={form.fieldError("authMode")}
        />
        {authMode === "delegated" && (
          <Field
            label="Signing identity (optional)"
            name="signingIdentity"
            type="email"
            defaultValue={initial?.signingIdentity}
            error={form.fieldError("signingIdentity")}
            hint="For a shared mailbox: the user who signs in and has Full Access to it. The mailbox address above goes into XOAUTH2 user=."
          />
        )}
        <SelectField
          label="Direction"
          name="direction"
          value={direction}
          onChange={(e) => setDirection(e.target.value)}
          options={[
            { value: "inbound", label: "Inbound: the portal's clients read this mailbox" },
            { value: "outbound", label: "Outbound: the portal's clients send from this mailbox" },
            { value: "both", label: "Both" },
          ]}
        />
      </fieldset>

      {(direction === "inbound" || direction === "both") && (
        <fieldset className="space-y-4">
          <legend className="text-base font-semibold text-slate-900">Reading mail</legend>
          <SelectField
            label="Inbound protocol"
            name="inboundProtocol"
            value={inbound}
            onChange={(e) => setInbound(e.target.value)}
            options={inboundOptions}
            error={form.fieldError("inboundProtocol")}
            warning={form.fieldWarning("inboundProtocol")}
          />
          {serverFields("inbound", inbound)}
        </fieldset>
      )}
      {(direction === "outbound" || direction === "both") && (
        <fieldset className="space-y-4">
          <legend className="text-base font-semibold text-slate-900">Sending mail</legend>
          <SelectField
            label="Outbound protocol"
            name="outboundProtocol"
            value={outbound}
            onChange={(e) => setOutbound(e.target.value)}
            options={outboundOptions}
            error={form.fieldError("outboundProtocol")}
            warning={form.fieldWarning("outboundProtocol")}
          />
          {serverFields("outbound", outbound)}
        </fieldset>
      )}

      <fieldset className="space-y-4">
        <legend className="text-base font-semibold text-slate-900">People and grouping</legend>
        <div className="grid gap-4 md:grid-cols-2">
          <Field
            label="Owner e-mail (notifications)"
            name="ownerEmail"
            type="email"
            defaultValue={initial?.ownerEmail}
            error={form.fieldError("ownerEmail")}
            hint="Who is told when the mailbox needs re-consent."
          />
          <Field label="Tags" name="tags" defaultValue={initial?.tags} error={form.fieldError("tags")} hint="Comma-separated, e.g. helpdesk, eu" />
        </div>
      </fieldset>

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          {form.pending ? "Checking and saving…" : initial ? "Save changes" : "Save mailbox"}
        </Button>
        <Link href={initial ? `/mailboxes/${initial.id}` : "/mailboxes"} className="text-sm text-slate-600 underline">
          Cancel
        </Link>
      </div>
    </form>
  );
}
