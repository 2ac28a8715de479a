"use client";

import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { EventCheckboxes } from "@/components/notify/event-checkboxes";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CopyValue } from "@/components/ui/copy-button";
import { Field, FieldMessages, SelectField } from "@/components/ui/field";
import { createChannelAction } from "./actions";

export interface SendingMailboxOption {
  id: string;
  address: string;
  protocol: string;
}

/** Add a webhook or e-mail channel; a secret the portal generates is shown here once. */
export function AddChannelForm({ mailboxes, smtpConfigured }: { mailboxes: SendingMailboxOption[]; smtpConfigured: boolean }) {
  const [kind, setKind] = useState<"webhook" | "email">("webhook");
  const [secretMode, setSecretMode] = useState<"generate" | "enter">("generate");
  const [emailVia, setEmailVia] = useState<"mailbox" | "smtp">(mailboxes.length > 0 ? "mailbox" : "smtp");
  const form = useActionForm(createChannelAction, { onSuccess: (_r, element) => element.reset() });
  const generated = form.result?.ok ? form.result.data.generatedSecret : null;

  return (
    <form onSubmit={form.onSubmit} noValidate className="space-y-4" aria-label="Add a channel">
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      {form.successMessage && (
        <Alert tone="success">
          {form.successMessage}
          {generated && (
            <div className="mt-2 space-y-1" data-testid="generated-secret">
              <p>Signing secret (shown only now; give it to the receiver):</p>
              <CopyValue value={generated} testId="generated-secret-value" />
            </div>
          )}
        </Alert>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Channel name" name="name" required error={form.fieldError("name")} placeholder="Help desk webhook" />
        <SelectField
          label="Kind"
          name="kind"
          value={kind}
          onChange={(e) => setKind(e.target.value === "email" ? "email" : "webhook")}
          error={form.fieldError("kind")}
          options={[
            { value: "webhook", label: "Webhook (signed JSON POST)" },
            { value: "email", label: "E-mail" },
          ]}
        />
      </div>
      {kind === "webhook" ? (
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Receiver URL" name="url" type="url" required error={form.fieldError("url")} placeholder="https://helpdesk.example.com/hooks/mail-portal" />
          <SelectField
            label="Signing secret"
            name="secretMode"
            value={secretMode}
            onChange={(e) => setSecretMode(e.target.value === "enter" ? "enter" : "generate")}
            options={[
              { value: "generate", label: "Generate one (shown once after saving)" },
              { value: "enter", label: "Enter the receiver's own" },
            ]}
          />
          {secretMode === "enter" && (
            <Field label="Secret" name="secret" type="password" autoComplete="off" error={form.fieldError("secret")} hint="At least 24 characters. Stored encrypted; never shown again." />
          )}
        </div>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Recipients" name="emailTo" required error={form.fieldError("emailTo")} placeholder="it-ops@example.com, helpdesk@example.com" hint="Separate several addresses with commas." />
          <SelectField
            label="Send through"
            name="emailVia"
            value={emailVia}
            onChange={(e) => setEmailVia(e.target.value === "smtp" ? "smtp" : "mailbox")}
            error={form.fieldError("emailVia")}
            options={[
              { value: "mailbox", label: "A connected mailbox of this portal (OAuth)" },
              { value: "smtp", label: `The SMTP server below${smtpConfigured ? "" : " (not set up yet)"}` },
            ]}
          />
          {emailVia === "mailbox" && (
            <SelectField
              label="Sending mailbox"
              name="viaMailboxId"
              error={form.fieldError("viaMailboxId")}
              hint={mailboxes.length === 0 ? "No connected mailbox sends over SMTP or Graph yet." : "Its grant must allow sending (SMTP.Send or Mail.Send)."}
              options={[{ value: "", label: "Choose a mailbox" }, ...mailboxes.map((m) => ({ value: m.id, label: `${m.address} (${m.protocol === "graph" ? "Graph" : "SMTP"})` }))]}
            />
          )}
        </div>
      )}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Events</legend>
        <EventCheckboxes idPrefix="new" />
        <FieldMessages name="events" error={form.fieldError("events")} />
      </fieldset>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Adding…" : "Add channel"}
      </Button>
    </form>
  );
}
