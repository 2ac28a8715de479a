import type { z } from "zod";
import { ApiProblem } from "@/lib/api/http/api-problem";

/** Parses one part of a request with its route schema, or throws invalid_request naming each failing value. */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, where: "path" | "query" | "body"): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({ in: where, name: issue.path.map(String).join(".") || where, message: issue.message }));
  throw new ApiProblem("invalid_request", `The ${where === "path" ? "path" : where === "query" ? "query string" : "body"} is not valid: ${errors.map((e) => `${e.name}: ${e.message}`).join("; ")}.`, { errors });
}
