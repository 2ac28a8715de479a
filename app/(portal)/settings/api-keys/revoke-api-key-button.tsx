"use client";

import { useState, useTransition } from "react";
import { revokeApiKeyAction } from "./actions";

export function RevokeApiKeyButton({ id, name }: { id: string; name: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  function revoke() {
    if (!window.confirm(`Revoke “${name}”? Software using it is refused within seconds. This cannot be undone.`)) return;
    setError(null);
    startTransition(async () => {
      const result = await revokeApiKeyAction({ id });
      if (!result.ok) setError(result.message);
    });
  }
  return (
    <div className="space-y-1">
      <button type="button" disabled={pending} onClick={revoke} className="rounded-md border border-red-300 bg-white px-2 py-1 text-sm text-red-800 hover:bg-red-50">
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
