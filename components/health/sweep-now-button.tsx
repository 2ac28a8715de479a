"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action-result";

const FOLLOW_EVERY_MS = 2_000;

/** Check all now; while a sweep runs (any instance), the dashboard reloads its data every 2 seconds. */
export function SweepNowButton({ running, start }: { running: boolean; start: () => Promise<ActionResult<{ sweepId: string }>> }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), FOLLOW_EVERY_MS);
    return () => clearInterval(timer);
  }, [running, router]);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        type="button"
        disabled={pending || running}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const r = await start();
            if (!r.ok) setError(r.message);
            router.refresh();
          })
        }
      >
        {running ? "Sweep running…" : pending ? "Starting…" : "Check all now"}
      </Button>
      {error && (
        <p role="alert" className="max-w-xs text-right text-xs text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}
