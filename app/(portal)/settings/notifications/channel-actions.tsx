"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CopyValue } from "@/components/ui/copy-button";
import { deleteChannelAction, rotateSecretAction, sendTestAction, setChannelEnabledAction } from "./actions";

type Message = { tone: "success" | "error" | "warning"; text: string; secret?: string };

/** Send test, turn on/off, a new webhook secret, delete: each answer is shown beside the buttons. */
export function ChannelActions({ channelId, name, kind, enabled }: { channelId: string; name: string; kind: "webhook" | "email"; enabled: boolean }) {
  const [message, setMessage] = useState<Message | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (work: () => Promise<Message | null>) => {
    setMessage(null);
    startTransition(async () => setMessage(await work()));
  };

  const sendTest = () =>
    run(async () => {
      const r = await sendTestAction(channelId);
      if (!r.ok) return { tone: "error", text: r.message };
      const code = r.data.responseCode !== null ? ` (${kind === "webhook" ? "HTTP " : ""}${r.data.responseCode})` : "";
      if (r.data.status === "delivered") return { tone: "success", text: `Test delivered${code}.` };
      return { tone: "warning", text: `Test not delivered${code}: ${r.data.error ?? "failed"}.${r.data.status === "failed" ? " It is retried with backoff; see the delivery log." : ""}` };
    });

  return (
    <div className="space-y-2" data-testid={`channel-actions-${name}`}>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" disabled={pending || !enabled} onClick={sendTest}>
          {pending ? "Working…" : "Send test"}
        </Button>
        <Button
          type="button"
          variant="secondary"
          disabled={pending}
          onClick={() =>
            run(async () => {
              const r = await setChannelEnabledAction(channelId, !enabled);
              return r.ok ? null : { tone: "error", text: r.message };
            })
          }
        >
          {enabled ? "Turn off" : "Turn on"}
        </Button>
        {kind === "webhook" && (
          <Button
            type="button"
            variant="secondary"
            disabled={pending}
            onClick={() => {
              if (!window.confirm(`Make a new signing secret for “${name}”? The receiver must be given it, or it refuses the next notification.`)) return;
              run(async () => {
                const r = await rotateSecretAction(channelId);
                return r.ok ? { tone: "success", text: "New signing secret (shown only now):", secret: r.data.secret } : { tone: "error", text: r.message };
              });
            }}
          >
            New secret
          </Button>
        )}
        <Button
          type="button"
          variant="danger"
          disabled={pending}
          onClick={() => {
            if (!window.confirm(`Delete the channel “${name}” and its delivery log?`)) return;
            run(async () => {
              const r = await deleteChannelAction(channelId);
              return r.ok ? null : { tone: "error", text: r.message };
            });
          }}
        >
          Delete
        </Button>
      </div>
      {message && (
        <Alert tone={message.tone}>
          {message.text}
          {message.secret && (
            <div className="mt-2">
              <CopyValue value={message.secret} testId="rotated-secret-value" />
            </div>
          )}
        </Alert>
      )}
    </div>
  );
}
