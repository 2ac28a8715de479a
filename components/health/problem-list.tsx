import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/card";
import { formatTime } from "@/components/ui/dates";
import { actorLabel } from "@/components/health/actor-label";
import { formatUptime } from "@/components/health/format-uptime";
import type { CheckExplanationView } from "@/lib/health/check-explanation";
import type { ProblemMailbox } from "@/lib/health/get-health-overview";
import { mailboxHealthStateLabels } from "@/lib/health/mailbox-health-state";

function Explanation({ heading, x }: { heading: string; x: CheckExplanationView }) {
  return (
    <div className="space-y-1 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-950" data-testid="problem-explanation">
      <p className="font-semibold">
        {heading}: {x.title}
      </p>
      <p>{x.explanation}</p>
      <p>
        <span className="font-medium">Fix: </span>
        {x.fix}
      </p>
      <p className="text-xs" data-testid="problem-actor">
        <span className="font-medium">Who must fix it: </span>
        {actorLabel(x.actor)}
      </p>
      {x.serverResponse && <p className="font-mono text-xs break-words text-red-900">Server said: {x.serverResponse}</p>}
      {x.diagnosis && <p className="text-xs text-red-900">{x.diagnosis}</p>}
    </div>
  );
}

/** The mailboxes that need someone, failing first, each with what is wrong, the fix and who must act. */
export function ProblemList({ problems, testButton }: { problems: ProblemMailbox[]; testButton?: (mailboxId: string) => ReactNode }) {
  return (
    <ol className="space-y-4" data-testid="problem-list">
      {problems.map((p) => (
        <li key={p.id} className="rounded-lg border border-slate-200 p-4" data-mailbox={p.address} data-state={p.state}>
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div>
              <Link className="font-medium text-blue-700 underline" href={`/mailboxes/${p.id}`}>
                {p.address}
              </Link>
              {p.displayName && <span className="ml-2 text-sm text-slate-600">{p.displayName}</span>}
              <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600">
                <Badge tone={p.state === "degraded" ? "amber" : "red"}>{mailboxHealthStateLabels[p.state]}</Badge>
                {p.failingSince && <span>failing since {formatTime(p.failingSince)}</span>}
                <span>
                  uptime 24 h {formatUptime(p.uptime.last24h)} · 7 d {formatUptime(p.uptime.last7d)}
                </span>
                {p.workingUses.length > 0 && <span className="text-green-800">works: {p.workingUses.join(", ")}</span>}
              </div>
            </div>
            {testButton?.(p.id)}
          </div>
          <div className="mt-3 space-y-2">
            {p.grantProblem && <Explanation heading="Token" x={p.grantProblem} />}
            {p.failingUses
              .filter((u) => !p.grantProblem || u.explanation?.title !== p.grantProblem.title)
              .map((u) =>
                u.explanation ? (
                  <Explanation key={u.label} heading={u.label} x={u.explanation} />
                ) : (
                  <p key={u.label} className="text-sm text-red-900">
                    {u.label}: failed ({u.errorClass ?? "unknown"})
                  </p>
                ),
              )}
          </div>
        </li>
      ))}
    </ol>
  );
}
