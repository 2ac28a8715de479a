"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action-result";
import type { UseCheck } from "@/lib/health/check-mailbox-now";

/** A compact Test now for table rows: the result appears beside the button, one line per protocol. */
export function TestNowButton({ mailboxId, test }: { mailboxId: string; test: (id: string) => Promise<ActionResult<UseCheck[]>> }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<UseCheck[]> | null>(null);
  return (
    <div className="space-y-1" data-testid="test-now">
      <Button
        type="button"
        variant="secondary"
        className="px-2 py-1 text-xs"
        disabled={pending}
        onClick={() => startTransition(async () => setResult(await test(mailboxId)))}
      >
        {pending ? "Testing…" : "Test now"}
      </Button>
      {result && !result.ok && <p className="text-xs text-red-800">{result.message}</p>}
      {result?.ok && (
        <ul className="space-y-0.5 text-xs" data-testid="test-now-result">
          {result.data.map((c) => {
            const ok = c.outcome?.ok === true;
            const why = c.outcome && !c.outcome.ok ? c.outcome.explanation.title : c.tokenProblem?.title;
            return (
              <li key={c.label} data-ok={ok} className={ok ? "text-green-800" : "text-red-800"}>
                {c.label}: {ok ? "passed" : `failed${why ? ` (${why})` : ""}`}
                {c.outcome && <span className="ml-1 font-mono text-slate-500">{c.outcome.durationMs} ms</span>}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
