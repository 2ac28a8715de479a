import { z } from "zod";
import { mailboxHealthStates } from "@/lib/health/mailbox-health-state";
import { directionSchema, protocolSchema } from "@/lib/microsoft/protocols";
import { apiSchemas } from "@/lib/api/schemas/api-schema-registry";
import { explanationSchema } from "@/lib/api/schemas/explanation-schema";
import { connectionStates } from "@/lib/api/schemas/mailbox-list-schemas";

// GET /api/v1/mailboxes/{mailbox}/health

export const protocolCheckSchema = z
  .object({
    protocol: protocolSchema,
    direction: directionSchema,
    ok: z.boolean().nullable().describe("null: not checked yet."),
    checked_at: z.iso.datetime().nullable(),
    duration_ms: z.number().int().nullable(),
    trigger: z.string().nullable().describe("sweep, manual or connect."),
    error_class: z.string().nullable(),
    last_ok_at: z.iso.datetime().nullable(),
    failing_since: z.iso.datetime().nullable(),
    problem: explanationSchema.nullable(),
  })
  .describe("The latest check of one protocol of the mailbox.")
  .register(apiSchemas, { id: "ProtocolCheck" });

export const mailboxHealthSchema = z
  .object({
    mailbox_id: z.string(),
    address: z.string(),
    state: z.enum(mailboxHealthStates),
    connection_state: z.enum(connectionStates),
    connection_problem: explanationSchema.nullable().describe("Why the grant gives no tokens, when it is stopped."),
    checks: z.array(protocolCheckSchema),
  })
  .describe("A mailbox's health: its state and the latest check of each protocol it uses.")
  .register(apiSchemas, { id: "MailboxHealth" });

export type MailboxHealthJson = z.infer<typeof mailboxHealthSchema>;
