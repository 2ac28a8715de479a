import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** First message per field, keyed by the field's path ("email", "owner.email"). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}

/** Parses or throws an AppError("validation") whose field errors go beside each input. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError("validation", "Some fields need attention; see the messages beside them.", fieldErrorsOf(result.error));
  }
  return result.data;
}
