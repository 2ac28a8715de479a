import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

interface FieldProps {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  children?: ReactNode;
}

/** A labelled input with its hint and, when the server refused it, the message right beside it. */
export function Field({ label, name, error, hint, children, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children ?? (
        <input
          id={name}
          name={name}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={`block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-2 focus:outline-blue-600 ${
            error ? "border-red-600 bg-red-50" : "border-slate-300 bg-white"
          }`}
          {...input}
        />
      )}
      {hint && (
        <p id={`${name}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} role="alert" className="text-sm text-red-700" data-field-error={name}>
          {error}
        </p>
      )}
    </div>
  );
}

export function Select({
  name,
  error,
  options,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { name: string; error?: string; options: { value: string; label: string }[] }) {
  return (
    <select
      id={name}
      name={name}
      aria-invalid={error ? true : undefined}
      className={`block w-full rounded-md border px-3 py-2 text-sm shadow-sm ${error ? "border-red-600 bg-red-50" : "border-slate-300 bg-white"}`}
      {...props}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
