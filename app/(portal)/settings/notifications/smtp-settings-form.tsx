"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field, SelectField, TextArea } from "@/components/ui/field";
import { smtpSecurityOptions } from "@/lib/notify/smtp-security-options";
import type { SmtpSettingsView } from "@/lib/notify/smtp-settings";
import { updateSmtpSettingsAction } from "./actions";

/** The SMTP server for e-mail notifications; the password field is always empty (a stored one is kept). */
export function SmtpSettingsForm({ settings }: { settings: SmtpSettingsView | null }) {
  const form = useActionForm(updateSmtpSettingsAction, {
    onSuccess: (_r, element) => {
      const password = element.elements.namedItem("password");
      if (password instanceof HTMLInputElement) password.value = "";
    },
  });
  return (
    <form onSubmit={form.onSubmit} noValidate className="space-y-4" aria-label="SMTP server for notifications">
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      {form.successMessage && <Alert tone="success">{form.result?.ok && form.result.data.changed.length === 0 ? "Nothing changed." : form.successMessage}</Alert>}
      <div className="grid gap-4 md:grid-cols-3">
        <Field label="SMTP host" name="host" defaultValue={settings?.host ?? ""} error={form.fieldError("host")} placeholder="smtp.example.com" />
        <Field label="Port" name="port" type="number" defaultValue={settings?.port ?? 587} error={form.fieldError("port")} />
        <SelectField
          label="Connection security"
          name="security"
          defaultValue={settings?.security ?? "starttls"}
          error={form.fieldError("security")}
          options={smtpSecurityOptions.map((o) => ({ value: o.value, label: o.label }))}
        />
        <Field label="User name (optional)" name="user" defaultValue={settings?.user ?? ""} autoComplete="off" error={form.fieldError("user")} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          error={form.fieldError("password")}
          hint={settings?.hasPassword ? "A password is stored (encrypted). Leave empty to keep it." : "Stored encrypted; never shown again."}
        />
        <Field label="From address" name="fromAddress" type="email" defaultValue={settings?.fromAddress ?? ""} error={form.fieldError("fromAddress")} placeholder="mail-portal@example.com" />
      </div>
      {settings?.hasPassword && (
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="clearPassword" /> Remove the stored password
        </label>
      )}
      <TextArea
        label="Extra trusted CA certificate (PEM, optional)"
        name="trustedCaPem"
        defaultValue={settings?.trustedCaPem ?? ""}
        error={form.fieldError("trustedCaPem")}
        hint="Only for a relay whose certificate comes from your own CA; trusted for this connection only."
        rows={3}
      />
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Saving…" : "Save SMTP settings"}
      </Button>
    </form>
  );
}
