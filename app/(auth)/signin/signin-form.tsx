"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function SignInForm({ initialError, entraEnabled, callbackUrl }: { initialError?: string; entraEnabled: boolean; callbackUrl: string }) {
  const [error, setError] = useState(initialError);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get("email") ?? "").trim();
    const password = String(data.get("password") ?? "");
    const missing: Record<string, string> = {};
    if (!email) missing.email = "Enter your e-mail address.";
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) missing.email = "Enter a valid e-mail address, such as name@example.com.";
    if (!password) missing.password = "Enter your password.";
    setFieldErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", { email, password, redirect: false });
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Sign-in failed. Check the e-mail address and password.");
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {error && <Alert tone="error">{error}</Alert>}
        <Field label="E-mail address" name="email" type="email" autoComplete="username" required error={fieldErrors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={fieldErrors.password} />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {entraEnabled && (
        <Button type="button" variant="secondary" className="w-full" onClick={() => void signIn("azure-ad", { callbackUrl })}>
          Sign in with Microsoft
        </Button>
      )}
    </div>
  );
}
