import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

interface FieldProps {
  label: string;
  name: string;
  error?: string;
  /** Shown beside the field; does not block saving. */
  warning?: string;
  hint?: ReactNode;
  children?: ReactNode;
}

/** A labelled input with its hint and, when the server refused it, the message right beside it. */
export function Field({ label, name, error, warning, hint, children, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
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
      <FieldMessages name={name} error={error} warning={warning} />
    </div>
  );
}

export function FieldMessages({ name, error, warning }: { name: string; error?: string; warning?: string }) {
  return (
    <>
      {error && (
        <p id={`${name}-error`} role="alert" className="text-sm text-red-700" data-field-error={name}>
          {error}
        </p>
      )}
      {warning && !error && (
        <p className="text-sm text-amber-800" data-field-warning={name}>
          {warning}
        </p>
      )}
    </>
  );
}

export function TextArea({ label, name, error, warning, hint, ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        className={`block w-full rounded-md border px-3 py-2 font-mono text-xs shadow-sm ${error ? "border-red-600 bg-red-50" : "border-slate-300 bg-white"}`}
        rows={5}
        {...props}
      />
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      <FieldMessages name={name} error={error} warning={warning} />
    </div>
  );
}

/** A labelled select with its messages. */
export function SelectField({
  label,
  name,
  error,
  warning,
  hint,
  options,
  ...props
}: Omit<FieldProps, "children"> & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <Select name={name} error={error} options={options} {...props} />
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      <FieldMessages name={name} error={error} warning={warning} />
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
