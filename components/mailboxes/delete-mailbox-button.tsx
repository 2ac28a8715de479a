"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import type { ActionResult } from "@/lib/action-result";

export function DeleteMailboxButton({ id, address, remove }: { id: string; address: string; remove: (id: string) => Promise<ActionResult> }) {
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
          if (!window.confirm(`Delete ${address} from this portal?`)) return;
          startTransition(async () => {
            const result = await remove(id);
            if (result.ok) router.push("/mailboxes");
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
