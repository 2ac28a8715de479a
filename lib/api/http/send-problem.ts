import type { ServerResponse } from "node:http";
import { problemCatalog, problemTypeUri } from "@/lib/api/problems";
import { problemSchema } from "@/lib/api/schemas/problem-schema";
import type { ApiProblem } from "@/lib/api/http/api-problem";
import { PROBLEM_TYPE, sendBody } from "@/lib/api/http/send-response";

// A problem as application/problem+json (RFC 9457), parsed through the published Problem schema, with
// Retry-After (429, 503) and WWW-Authenticate (401) where HTTP asks for them.

export function sendProblem(res: ServerResponse, problem: ApiProblem, portalUrl: string, baseHeaders: Record<string, string>): void {
  const entry = problemCatalog[problem.code];
  const body = problemSchema.parse({
    type: problemTypeUri(portalUrl, problem.code),
    title: entry.title,
    status: entry.status,
    code: problem.code,
    detail: problem.detail,
    ...problem.extras,
    ...(problem.retryAfterSeconds !== undefined ? { retry_after_seconds: problem.retryAfterSeconds } : {}),
  });
  const headers: Record<string, string> = { ...baseHeaders, ...problem.headers };
  if (problem.retryAfterSeconds !== undefined) headers["retry-after"] = String(problem.retryAfterSeconds);
  sendBody(res, entry.status, Buffer.from(JSON.stringify(body), "utf8"), PROBLEM_TYPE, headers);
}
