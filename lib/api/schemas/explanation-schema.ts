import { z } from "zod";
import { apiSchemas } from "@/lib/api/schemas/api-schema-registry";

export const explanationSchema = z
  .object({
    code: z.string().nullable().describe("The catalog's code (AADSTS50173, smtp_5.7.139_auth_disabled, …)."),
    title: z.string(),
    explanation: z.string().describe("What happened, in plain words."),
    fix: z.string().describe("What to do."),
    actor: z.string().describe("Who must act: admin, mailbox_owner, retry (nobody: it passes) or portal_operator."),
  })
  .describe("An explanation from the portal's error catalog.")
  .register(apiSchemas, { id: "Explanation" });
