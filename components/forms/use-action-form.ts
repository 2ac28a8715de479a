"use client";

import { useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/action-result";

/**
 * Submits a form to a server action without React's automatic form reset, so a refused form keeps
 * everything the person typed, and exposes the server's message for each field.
 */
export function useActionForm<T>(
  action: (formData: FormData) => Promise<ActionResult<T>>,
  options: { onSuccess?: (result: Extract<ActionResult<T>, { ok: true }>, form: HTMLFormElement) => void } = {},
) {
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const formData = new FormData(form);
    startTransition(async () => {
      const next = await action(formData);
      setResult(next);
      if (next.ok) options.onSuccess?.(next, form);
    });
  }

  const fieldError = (name: string): string | undefined => (result && !result.ok ? result.fieldErrors?.[name] : undefined);
  const fieldWarning = (name: string): string | undefined => {
    if (!result) return undefined;
    if (!result.ok) return result.fieldWarnings?.[name];
    const data = result.data as { warnings?: Record<string, string> } | undefined;
    return data?.warnings?.[name];
  };
  const formError = result && !result.ok ? result.message : undefined;
  const successMessage = result && result.ok ? result.message : undefined;
  return { onSubmit, pending, result, fieldError, fieldWarning, formError, successMessage };
}
