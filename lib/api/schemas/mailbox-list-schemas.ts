import { z } from "zod";
import { mailboxHealthStates } from "@/lib/health/mailbox-health-state";
import { directionSchema, protocolSchema } from "@/lib/microsoft/protocols";
import { apiSchemas } from "@/lib/api/schemas/api-schema-registry";
import { serverSettingsSchema } from "@/lib/api/schemas/server-settings-schema";

// GET /api/v1/mailboxes?limit=&cursor=

export const mailboxListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("Mailboxes per page (1–200)."),
  cursor: z
    .string()
    .max(800)
    .regex(/^[A-Za-z0-9_-]+$/, "the next_cursor of the previous page")
    .optional()
    .describe("The previous page's next_cursor; omit for the first page."),
});

export const connectionStates = ["active", "needs_consent", "credential_invalid", "app_missing", "blocked_by_policy", "not_connected"] as const;

export const apiMailboxSchema = z
  .object({
    id: z.string(),
    address: z.string(),
    display_name: z.string(),
    direction: z.enum(["inbound", "outbound", "both"]),
    auth_mode: z.enum(["delegated", "app_only"]),
    account_kind: z.enum(["work", "personal"]),
    signing_identity: z.string().nullable().describe("For a shared mailbox: the user who consents; tokens are this user's, the SASL user is still the mailbox."),
    tags: z.array(z.string()),
    protocols: z.array(z.object({ protocol: protocolSchema, direction: directionSchema, server: serverSettingsSchema.nullable() })),
    connection: z.object({
      state: z.enum(connectionStates),
      account: z.string().nullable().describe("The account that consented (delegated)."),
      consented_at: z.iso.datetime().nullable(),
    }),
    health: z.object({ state: z.enum(mailboxHealthStates), failing_since: z.iso.datetime().nullable() }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .describe("A mailbox's settings and state. Never a secret.")
  .register(apiSchemas, { id: "Mailbox" });

export const mailboxListSchema = z
  .object({
    data: z.array(apiMailboxSchema),
    next_cursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
  })
  .describe("One page of the mailboxes this key may reach, by address.")
  .register(apiSchemas, { id: "MailboxList" });

export type ApiMailboxJson = z.infer<typeof apiMailboxSchema>;
export type MailboxListJson = z.infer<typeof mailboxListSchema>;
