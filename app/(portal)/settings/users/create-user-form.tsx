"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { createUserAction } from "./actions";

export function CreateUserForm() {
  const form = useActionForm(createUserAction, { onSuccess: (_r, element) => element.reset() });
  return (
    <form onSubmit={form.onSubmit} noValidate className="space-y-4" aria-label="Add a user">
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      {form.successMessage && <Alert tone="success">{form.successMessage}</Alert>}
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="E-mail address" name="email" type="email" required error={form.fieldError("email")} />
        <Field label="Name" name="name" error={form.fieldError("name")} />
        <div className="space-y-1">
          <label htmlFor="role" className="block text-sm font-medium text-slate-800">
            Role
          </label>
          <Select
            name="role"
            defaultValue="support"
            error={form.fieldError("role")}
            options={[
              { value: "support", label: "Support: reads status and health, runs checks" },
              { value: "admin", label: "Admin: everything" },
            ]}
          />
        </div>
        <Field
          label="Initial password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          error={form.fieldError("password")}
          hint="At least 12 characters. Tell the person through a channel other than e-mail."
        />
      </div>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Adding…" : "Add user"}
      </Button>
    </form>
  );
}
