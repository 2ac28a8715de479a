"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/action-result";

/** Shows the mailbox's still-valid consent link to copy (support may copy; only admins create links). */
export function CopyConsentLinkButton({ mailboxId, copy }: { mailboxId: string; copy: (id: string) => Promise<ActionResult<{ url: string; expiresAt: string } | null>> }) {
  const [text, setText] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <span className="space-y-1">
      <button
        type="button"
        disabled={pending}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50"
        onClick={() =>
          startTransition(async () => {
            const r = await copy(mailboxId);
            if (!r.ok) return setText(r.message);
            if (!r.data) return setText("No valid link: an admin creates one on the mailbox page.");
            setText(r.data.url);
            await navigator.clipboard.writeText(r.data.url).catch(() => undefined);
          })
        }
      >
        Consent link
      </button>
      {text && <code className="block max-w-xs text-xs break-all">{text}</code>}
    </span>
  );
}
