import { z } from "zod";
import { protocolSchema } from "@/lib/microsoft/protocols";
import { apiSchemas } from "@/lib/api/schemas/api-schema-registry";
import { serverSettingsSchema } from "@/lib/api/schemas/server-settings-schema";

// POST /api/v1/mailboxes/{mailbox}/token?protocol=…

export const tokenQuerySchema = z.object({
  protocol: protocolSchema.describe("The protocol the token is for: its audience differs (IMAP/POP3/SMTP: Exchange; graph: Microsoft Graph)."),
});

/** No body is needed; an empty JSON object is accepted for clients that always send one. */
export const tokenBodySchema = z.object({}).strict().optional();

export const tokenResponseSchema = z
  .object({
    access_token: z.string().describe("The OAuth 2.0 access token. Treat it as a password: never log it."),
    token_type: z.literal("Bearer"),
    expires_at: z.iso.datetime().describe("When Microsoft stops accepting it. The portal hands out a token until 5 minutes before this, so ask again when you need one rather than caching it longer."),
    audience: z.string().describe("The resource the token is for (its aud claim)."),
    scopes: z.array(z.string()).describe("Delegated: the scp values; app-only: the roles."),
    protocol: protocolSchema,
    mailbox_id: z.string(),
    sasl_user: z.string().describe("The user name for SASL XOAUTH2: the mailbox's address (for a shared mailbox too)."),
    xoauth2: z.string().describe('The ready SASL XOAUTH2 initial response: base64("user=" + sasl_user + "\\x01auth=Bearer " + access_token + "\\x01\\x01").'),
    server: serverSettingsSchema.nullable().describe("Where to use the token for this protocol, as configured for the mailbox."),
  })
  .describe("A current access token for one protocol of a mailbox.")
  .register(apiSchemas, { id: "TokenResponse" });

export type TokenResponse = z.infer<typeof tokenResponseSchema>;
