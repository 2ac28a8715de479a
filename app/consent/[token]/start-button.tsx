"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import type { ActionResult } from "@/lib/action-result";

export function StartConsentButton({ token, start, account }: { token: string; start: (token: string) => Promise<ActionResult>; account: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      <Button
        type="button"
        className="w-full"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const r = await start(token);
            if (!r.ok) setError(r.message);
          })
        }
      >
        {pending ? "Opening Microsoft sign-in…" : `Sign in with Microsoft as ${account}`}
      </Button>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
