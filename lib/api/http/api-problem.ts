import type { ProblemCode } from "@/lib/api/problems";
import type { Problem } from "@/lib/api/schemas/problem-schema";

// A refusal or failure the token API answers with a problem document: thrown by handlers and the
// pipeline, turned into application/problem+json by send-problem.ts.

export type ProblemExtras = Partial<Pick<Problem, "explanation" | "consent_link" | "errors" | "reference">>;

export class ApiProblem extends Error {
  override readonly name = "ApiProblem";

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extras: ProblemExtras = {},
    /** rate_limited, upstream_unavailable: seconds until a retry may succeed (Retry-After). */
    readonly retryAfterSeconds?: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code}: ${detail}`);
  }
}
