"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { PortalSettings } from "@/lib/settings/settings";
import { updateSettingsAction } from "./actions";

export function SettingsForm({ settings }: { settings: PortalSettings }) {
  const form = useActionForm(updateSettingsAction);
  return (
    <form onSubmit={form.onSubmit} noValidate className="space-y-4">
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      {form.successMessage && (
        <Alert tone="success">
          {form.result?.ok && form.result.data.changed.length === 0 ? "Nothing changed." : form.successMessage}
        </Alert>
      )}
      <Field label="Organisation name" name="organisationName" defaultValue={settings.organisationName} error={form.fieldError("organisationName")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Lock sign-in after this many failures"
          name="signInLockAfterFailures"
          type="number"
          defaultValue={settings.signInLockAfterFailures}
          error={form.fieldError("signInLockAfterFailures")}
          hint="Per account within 15 minutes; a client address is locked at five times this. Attempts slow down from the third failure."
        />
        <Field
          label="Lock for (minutes)"
          name="signInLockMinutes"
          type="number"
          defaultValue={settings.signInLockMinutes}
          error={form.fieldError("signInLockMinutes")}
        />
      </div>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Saving…" : "Save settings"}
      </Button>
    </form>
  );
}
