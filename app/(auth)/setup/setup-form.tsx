"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createFirstAdminAction } from "./actions";

export function SetupForm() {
  const [signingIn, setSigningIn] = useState(false);
  const form = useActionForm(createFirstAdminAction, {
    onSuccess: (result, element) => {
      // Sign the new admin straight in with what they just typed.
      const password = new FormData(element).get("password");
      setSigningIn(true);
      void signIn("credentials", { email: result.data.email, password, callbackUrl: "/settings" });
    },
  });
  return (
    <form onSubmit={form.onSubmit} noValidate className="space-y-4">
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      <Field label="Your e-mail address" name="email" type="email" autoComplete="email" required error={form.fieldError("email")} />
      <Field label="Your name" name="name" autoComplete="name" error={form.fieldError("name")} hint="Shown in the header and the audit log." />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        error={form.fieldError("password")}
        hint="At least 12 characters. A passphrase of several words is easy to remember and hard to guess."
      />
      <Field label="Repeat the password" name="confirmPassword" type="password" autoComplete="new-password" required error={form.fieldError("confirmPassword")} />
      <Button type="submit" className="w-full" disabled={form.pending || signingIn}>
        {signingIn ? "Signing you in…" : form.pending ? "Creating the admin…" : "Create the first admin"}
      </Button>
    </form>
  );
}
