"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import type { NotificationRules } from "@/lib/notify/notification-settings";
import { updateRulesAction } from "./actions";

export function RulesForm({ rules, emailChannels }: { rules: NotificationRules; emailChannels: Array<{ id: string; name: string }> }) {
  const form = useActionForm(updateRulesAction);
  return (
    <form onSubmit={form.onSubmit} noValidate className="space-y-4" aria-label="Notification rules">
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      {form.successMessage && <Alert tone="success">{form.result?.ok && form.result.data.changed.length === 0 ? "Nothing changed." : form.successMessage}</Alert>}
      <div className="grid gap-4 md:grid-cols-2">
        <Field
          label="Failing after this many failed checks in a row"
          name="failingAfterChecks"
          type="number"
          min={1}
          max={50}
          defaultValue={rules.failingAfterChecks}
          error={form.fieldError("failingAfterChecks")}
          hint="One failed check can be a passing glitch. With sweeps every 15 minutes, 3 means about 30–45 minutes."
        />
        <label className="flex items-start gap-2 self-center text-sm text-slate-800">
          <input type="checkbox" name="remindDaily" defaultChecked={rules.remindDaily} className="mt-1" />
          <span>
            Remind once a day while a problem lasts
            <span className="block text-xs text-slate-500">Failing, needs consent, a credential within 7 days or expired, a refresh token near its limit.</span>
          </span>
        </label>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <label className="flex items-start gap-2 text-sm text-slate-800">
          <input type="checkbox" name="emailOwnerConsentLink" defaultChecked={rules.emailOwnerConsentLink} className="mt-1" />
          <span>
            E-mail the mailbox owner a one-time consent link when a mailbox needs re-consent
            <span className="block text-xs text-slate-500">Goes to the mailbox&apos;s owner e-mail (set on the mailbox), valid 7 days, usable once.</span>
          </span>
        </label>
        <SelectField
          label="Owners' e-mails are sent through"
          name="ownerEmailChannelId"
          defaultValue={rules.ownerEmailChannelId ?? ""}
          error={form.fieldError("ownerEmailChannelId")}
          options={[{ value: "", label: emailChannels.length ? "Choose an e-mail channel" : "No e-mail channel yet" }, ...emailChannels.map((c) => ({ value: c.id, label: c.name }))]}
        />
      </div>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Saving…" : "Save rules"}
      </Button>
    </form>
  );
}
