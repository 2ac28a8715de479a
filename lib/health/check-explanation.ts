import { z } from "zod";

// The explanation kept in a HealthCheck's / HealthStatus's detail JSON, read back in one shape whether
// the check failed at the server (the protocol catalog's CheckExplanation) or before it (no token: the
// grant's explanation). Parsed, not cast: rows written by older versions must not break a page.

const explanationSchema = z.object({
  title: z.string(),
  explanation: z.string(),
  fix: z.string(),
  actor: z.string().default("admin"),
  catalogCode: z.string().optional(),
  code: z.string().optional(),
});

const detailSchema = z.object({
  explanation: explanationSchema.nullable().optional(),
  serverResponse: z.string().nullable().optional(),
  diagnosis: z.string().nullable().optional(),
  stage: z.string().optional(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  timings: z.object({ connectMs: z.number().optional(), authMs: z.number().optional(), operationMs: z.number().optional() }).optional(),
});

export interface CheckExplanationView {
  title: string;
  explanation: string;
  fix: string;
  /** admin | mailbox_owner | retry | portal_operator */
  actor: string;
  code: string | null;
  serverResponse: string | null;
  diagnosis: string | null;
}

export interface CheckDetailView {
  explanation: CheckExplanationView | null;
  details: Record<string, string | number | boolean>;
}

export function readCheckDetail(json: string, errorClass: string | null): CheckDetailView {
  let parsed: z.infer<typeof detailSchema> = {};
  try {
    const r = detailSchema.safeParse(JSON.parse(json));
    if (r.success) parsed = r.data;
  } catch {
    // Unreadable detail: the error class alone is shown.
  }
  const e = parsed.explanation;
  return {
    details: parsed.details ?? {},
    explanation: e
      ? {
          title: e.title,
          explanation: e.explanation,
          fix: e.fix,
          actor: e.actor,
          code: e.catalogCode ?? e.code ?? errorClass,
          serverResponse: parsed.serverResponse ?? null,
          diagnosis: parsed.diagnosis ?? null,
        }
      : null,
  };
}
