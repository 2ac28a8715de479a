"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CopyValue } from "@/components/ui/copy-button";
import type { ActionResult } from "@/lib/action-result";
import type { AppOnlyConfirmation } from "@/lib/consent/confirm-app-only-access";
import type { UseCheck } from "@/lib/health/check-mailbox-now";

export interface ConnectionActions {
  connect: (id: string) => Promise<ActionResult<AppOnlyConfirmation>>;
  createLink: (id: string) => Promise<ActionResult<{ url: string; expiresAt: string }>>;
  copyLink: (id: string) => Promise<ActionResult<{ url: string; expiresAt: string } | null>>;
  revokeLinks: (id: string) => Promise<ActionResult<number>>;
  disconnect: (id: string) => Promise<ActionResult>;
  testNow: (id: string) => Promise<ActionResult<UseCheck[]>>;
}

export function HealthResults({ checks }: { checks: UseCheck[] }) {
  return (
    <ul className="space-y-2" data-testid="health-results">
      {checks.map((c) => {
        const ok = c.outcome?.ok === true;
        return (
          <li key={c.label} className={`rounded-md border p-3 text-sm ${ok ? "border-green-200 bg-green-50" : "border-red-200 bg-red-50"}`} data-ok={ok}>
            <p className="font-medium">
              {c.label}: {ok ? "healthy" : "failing"}
              {c.outcome && <span className="ml-2 font-mono text-xs font-normal text-slate-600">{c.outcome.durationMs} ms</span>}
            </p>
            {c.outcome?.ok && (
              <p className="text-xs text-slate-700">
                {Object.entries(c.outcome.details)
                  .map(([k, v]) => `${k}: ${String(v)}`)
                  .join(" · ")}
              </p>
            )}
            {c.outcome && !c.outcome.ok && (
              <div className="mt-1 space-y-1 text-red-950">
                <p className="font-medium">{c.outcome.explanation.title}</p>
                <p>{c.outcome.explanation.explanation}</p>
                <p>
                  <span className="font-medium">Fix: </span>
                  {c.outcome.explanation.fix}
                </p>
                {c.outcome.serverResponse && <p className="font-mono text-xs">Server said: {c.outcome.serverResponse}</p>}
                {c.outcome.diagnosis && <p className="text-xs">{c.outcome.diagnosis}</p>}
              </div>
            )}
            {c.tokenProblem && (
              <div className="mt-1 space-y-1 text-red-950">
                <p className="font-medium">{c.tokenProblem.title}</p>
                <p>{c.tokenProblem.explanation}</p>
                <p>
                  <span className="font-medium">Fix: </span>
                  {c.tokenProblem.fix}
                </p>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function ConnectionPanel({
  mailboxId,
  authMode,
  connected,
  can,
  actions,
}: {
  mailboxId: string;
  authMode: "delegated" | "app_only";
  connected: boolean;
  can: { connect: boolean; createLink: boolean; copyLink: boolean; disconnect: boolean; test: boolean };
  actions: ConnectionActions;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [checks, setChecks] = useState<UseCheck[] | null>(null);
  const [confirmation, setConfirmation] = useState<AppOnlyConfirmation | null>(null);

  function run<T>(fn: () => Promise<ActionResult<T>>, onOk: (data: T) => void) {
    setError(null);
    setNotice(null);
    startTransition(async () => {
      const r = await fn();
      if (r.ok) onOk(r.data);
      else setError(r.message);
    });
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-2">
        {can.test && connected && (
          <Button type="button" disabled={pending} onClick={() => run(() => actions.testNow(mailboxId), setChecks)}>
            {pending ? "Working…" : "Test now"}
          </Button>
        )}
        {can.connect && (
          <Button type="button" variant={connected ? "secondary" : "primary"} disabled={pending} onClick={() => run(() => actions.connect(mailboxId), setConfirmation)}>
            {connected ? "Reconnect" : "Connect"}
          </Button>
        )}
        {authMode === "delegated" && can.createLink && (
          <Button type="button" variant="secondary" disabled={pending} onClick={() => run(() => actions.createLink(mailboxId), setLink)}>
            Create consent link
          </Button>
        )}
        {authMode === "delegated" && can.copyLink && (
          <Button
            type="button"
            variant="secondary"
            disabled={pending}
            onClick={() => run(() => actions.copyLink(mailboxId), (l) => (l ? setLink(l) : setNotice("There is no valid consent link for this mailbox. An admin can create one.")))}
          >
            Show consent link
          </Button>
        )}
        {authMode === "delegated" && can.createLink && (
          <Button type="button" variant="ghost" disabled={pending} onClick={() => run(() => actions.revokeLinks(mailboxId), (n) => setNotice(n > 0 ? "The consent link no longer works." : "There was no valid link to revoke."))}>
            Revoke links
          </Button>
        )}
        {connected && can.disconnect && (
          <Button
            type="button"
            variant="danger"
            disabled={pending}
            onClick={() => {
              if (window.confirm("Delete the stored grant? Software using this mailbox through the portal stops working until it is connected again.")) {
                run(() => actions.disconnect(mailboxId), () => setNotice("Disconnected: the stored tokens are deleted."));
              }
            }}
          >
            Disconnect
          </Button>
        )}
      </div>
      {error && <Alert tone="error">{error}</Alert>}
      {notice && <Alert tone="info">{notice}</Alert>}
      {link && (
        <div className="space-y-1 text-sm" data-testid="consent-link">
          <p>Send this link to the mailbox owner. It works once, until {link.expiresAt.slice(0, 16).replace("T", " ")} UTC.</p>
          <CopyValue value={link.url} testId="consent-link-url" />
        </div>
      )}
      {confirmation && (
        <Alert tone={confirmation.ok ? "success" : "error"}>
          {confirmation.ok
            ? `App-only access confirmed: the token carries ${confirmation.roles.join(", ")}.`
            : confirmation.explanation
              ? `${confirmation.explanation.title}: ${confirmation.explanation.fix}`
              : `The app's token lacks ${confirmation.missingRoles.join(", ")}: add these application permissions and grant admin consent.`}
        </Alert>
      )}
      {checks && <HealthResults checks={checks} />}
    </div>
  );
}
