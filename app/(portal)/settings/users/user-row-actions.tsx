"use client";

import { useState, useTransition } from "react";
import type { Role } from "@/lib/auth/permissions";
import { changeUserAction } from "./actions";

export function UserRowActions({ userId, role, disabled, isSelf }: { userId: string; role: Role; disabled: boolean; isSelf: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function apply(change: { role?: Role; disabled?: boolean }) {
    setError(null);
    startTransition(async () => {
      const result = await changeUserAction({ userId, ...change });
      if (!result.ok) setError(Object.values(result.fieldErrors ?? {})[0] ?? result.message);
    });
  }

  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <label className="sr-only" htmlFor={`role-${userId}`}>
          Role
        </label>
        <select
          id={`role-${userId}`}
          aria-label="Role"
          value={role}
          disabled={pending}
          onChange={(e) => apply({ role: e.target.value as Role })}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        >
          <option value="admin">Admin</option>
          <option value="support">Support</option>
        </select>
        <button
          type="button"
          disabled={pending}
          onClick={() => apply({ disabled: !disabled })}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-50"
        >
          {disabled ? "Enable" : isSelf ? "Disable (you)" : "Disable"}
        </button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
