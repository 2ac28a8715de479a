"use client";

import { useState } from "react";

/** Copies a value to the clipboard and says so; the value is already on the page (never a secret). */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2000);
  }
  return (
    <button
      type="button"
      onClick={() => void copy()}
      className="shrink-0 rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
      aria-label={`${label}: ${value.length > 60 ? value.slice(0, 57) + "…" : value}`}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : label}
    </button>
  );
}

/** A value an admin copies into the Azure portal: shown in full, with its copy button. */
export function CopyValue({ value, testId }: { value: string; testId?: string }) {
  return (
    <span className="flex items-start gap-2">
      <code data-testid={testId} className="min-w-0 flex-1 rounded bg-slate-100 px-2 py-1 font-mono text-xs break-all text-slate-900">
        {value}
      </code>
      <CopyButton value={value} />
    </span>
  );
}

/** A multi-line block (JSON, PowerShell) with a copy button. */
export function CopyBlock({ value, language, testId }: { value: string; language: string; testId?: string }) {
  return (
    <div className="relative">
      <pre
        data-testid={testId}
        data-language={language}
        className="overflow-x-auto rounded-md bg-slate-900 p-4 pr-20 font-mono text-xs leading-relaxed text-slate-100"
      >
        {value}
      </pre>
      <div className="absolute top-2 right-2">
        <CopyButton value={value} />
      </div>
    </div>
  );
}
