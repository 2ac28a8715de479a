import { z } from "zod";
import { problemCodes } from "@/lib/api/problems";
import { apiSchemas } from "@/lib/api/schemas/api-schema-registry";
import { explanationSchema } from "@/lib/api/schemas/explanation-schema";

export const problemSchema = z
  .object({
    type: z.string().describe("A URI naming the problem kind: this portal's API page, anchored at the code."),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    code: z.enum(problemCodes).describe("Stable: branch on this."),
    detail: z.string().describe("This occurrence, in plain words."),
    explanation: explanationSchema.extend({ trace_id: z.string().optional(), correlation_id: z.string().optional() }).optional().describe("For grant problems: the catalog's explanation, with Microsoft's IDs when it answered."),
    consent_link: z
      .object({ url: z.string(), expires_at: z.iso.datetime() })
      .nullable()
      .optional()
      .describe("needs_consent: the mailbox's still-valid one-time consent link, which an admin may send to the mailbox owner; null when there is none."),
    retry_after_seconds: z.number().int().min(1).optional().describe("rate_limited, upstream_unavailable: also in the Retry-After header."),
    errors: z.array(z.object({ in: z.enum(["path", "query", "body", "header"]), name: z.string(), message: z.string() })).optional().describe("invalid_request: each value that failed."),
    reference: z.string().optional().describe("internal: the reference under which the portal's log has the details."),
  })
  .describe("RFC 9457 problem details, served as application/problem+json.")
  .register(apiSchemas, { id: "Problem" });

export type Problem = z.infer<typeof problemSchema>;
