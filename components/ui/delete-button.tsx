"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import type { ActionResult } from "@/lib/action-result";

/** Asks first, runs the delete action, then goes to `afterHref`; a refusal is shown beside the button. */
export function DeleteButton({ id, question, remove, afterHref }: { id: string; question: string; remove: (id: string) => Promise<ActionResult>; afterHref: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant="danger"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(question)) return;
          startTransition(async () => {
            const result = await remove(id);
            if (result.ok) router.push(afterHref);
            else setError(result.message);
          });
        }}
      >
        Delete
      </Button>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
