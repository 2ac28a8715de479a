"use client";

import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { CopyValue } from "@/components/ui/copy-button";
import { Field, FieldMessages, TextArea } from "@/components/ui/field";
import { apiScopeLabels, apiScopes } from "@/lib/api-keys/api-key-scopes";
import { createApiKeyAction } from "./actions";

const reachOptions = [
  { value: "all", label: "All mailboxes" },
  { value: "chosen", label: "Chosen mailboxes" },
  { value: "tag", label: "Mailboxes with a tag" },
] as const;

export function CreateApiKeyForm({ defaultRateLimitPerMinute }: { defaultRateLimitPerMinute: number }) {
  const [reach, setReach] = useState<(typeof reachOptions)[number]["value"]>("all");
  const form = useActionForm(createApiKeyAction, {
    onSuccess: (_r, element) => {
      element.reset();
      setReach("all");
    },
  });
  const created = form.result?.ok ? form.result.data : null;
  return (
    <form onSubmit={form.onSubmit} noValidate className="space-y-5" aria-label="New API key">
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      {created && (
        <div data-testid="new-api-key" className="space-y-2 rounded-md border border-green-300 bg-green-50 p-4 text-sm text-green-950">
          <p className="font-medium">API key “{created.name}” created. Copy it now: it is shown this once, and the portal keeps only its hash.</p>
          <CopyValue value={created.key} testId="new-api-key-value" />
          <p className="text-xs">Give it to the software that uses it as <code>Authorization: Bearer …</code>. The list below shows it by its prefix, {created.prefix}.</p>
        </div>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Name" name="name" required maxLength={100} error={form.fieldError("name")} hint="Who uses it, e.g. “Help desk IMAP poller”." />
        <Field
          label="Requests per minute (optional)"
          name="rateLimitPerMinute"
          type="number"
          min={1}
          placeholder={String(defaultRateLimitPerMinute)}
          error={form.fieldError("rateLimitPerMinute")}
          hint={`Empty: the portal's default, ${defaultRateLimitPerMinute} (API_RATE_LIMIT_PER_MINUTE).`}
        />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Scopes</legend>
        {apiScopes.map((scope) => (
          <label key={scope} className="flex items-start gap-2 text-sm text-slate-800">
            <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "token:read"} className="mt-0.5" />
            <span>{apiScopeLabels[scope]}</span>
          </label>
        ))}
        <FieldMessages name="scopes" error={form.fieldError("scopes")} />
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Mailboxes it may reach</legend>
        <div className="flex flex-wrap gap-4">
          {reachOptions.map((o) => (
            <label key={o.value} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="radio" name="mailboxScope" value={o.value} checked={reach === o.value} onChange={() => setReach(o.value)} />
              {o.label}
            </label>
          ))}
        </div>
        <FieldMessages name="mailboxScope" error={form.fieldError("mailboxScope")} />
        {reach === "chosen" && (
          <TextArea
            label="Mailbox addresses"
            name="mailboxes"
            rows={4}
            placeholder={"helpdesk@contoso.com\nsupport@contoso.com"}
            error={form.fieldError("mailboxes")}
            hint="One per line (or separated by commas). Only mailboxes configured in the portal."
          />
        )}
        {reach === "tag" && <Field label="Tag" name="mailboxTag" error={form.fieldError("mailboxTag")} hint="Every mailbox carrying this tag, also ones tagged later." />}
        <p className="text-xs text-slate-500">A mailbox the key may not reach is answered as “not found”, exactly like one that does not exist.</p>
      </fieldset>
      <div className="max-w-xs">
        <Field label="Expires on (optional)" name="expiresOn" type="date" error={form.fieldError("expiresOn")} hint="Valid through that day (UTC). Empty: until revoked." />
      </div>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Creating…" : "Create API key"}
      </Button>
    </form>
  );
}
