import { z } from "zod";

// Small zod pieces shared by the notification forms (FormData in, typed values out).

/** A checkbox: "on" when ticked, absent otherwise; booleans pass through (stored JSON, tests). */
export const checkbox = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

export const emailAddress = (message: string) => z.string().trim().toLowerCase().pipe(z.email({ message }));

/** An optional text field: "" becomes undefined. */
export const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => (v ? v : undefined));
