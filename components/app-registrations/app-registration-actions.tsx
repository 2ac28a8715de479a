"use client";

import { useState, useTransition } from "react";
import { CredentialCheckResult } from "@/components/app-registrations/credential-check-result";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import type { ActionResult } from "@/lib/action-result";
import type { CredentialCheckResult as CheckResult } from "@/lib/app-registrations/check-app-credentials";

export function CheckCredentialsButton({ id, check }: { id: string; check: (id: string) => Promise<ActionResult<CheckResult>> }) {
  const [result, setResult] = useState<ActionResult<CheckResult> | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-3">
      <Button type="button" variant="secondary" disabled={pending} onClick={() => startTransition(async () => setResult(await check(id)))}>
        {pending ? "Asking Microsoft for a token…" : "Check credentials"}
      </Button>
      {result && !result.ok && <Alert tone="error">{result.message}</Alert>}
      {result?.ok && <CredentialCheckResult resources={result.data.resources} />}
    </div>
  );
}

export function AdminConsentButton({ id, start }: { id: string; start: (id: string) => Promise<ActionResult> }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-2">
      <Button
        type="button"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const r = await start(id);
            if (!r.ok) setError(r.message);
          })
        }
      >
        {pending ? "Opening Microsoft…" : "Grant admin consent"}
      </Button>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
