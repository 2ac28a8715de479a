import { z } from "zod";
import { apiSchemas } from "@/lib/api/schemas/api-schema-registry";

export const serverSettingsSchema = z
  .object({
    host: z.string(),
    port: z.number().int().min(1).max(65535),
    security: z.enum(["tls", "starttls"]).describe("tls: TLS from the first byte (993, 995, 443); starttls: plain, then STARTTLS (587)."),
    url: z.string().nullable().describe("Graph and EWS: the base URL to call; null for IMAP, POP3, SMTP."),
  })
  .describe("Where the mailbox's protocol is served.")
  .register(apiSchemas, { id: "ServerSettings" });
