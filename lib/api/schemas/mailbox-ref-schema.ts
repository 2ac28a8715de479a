import { z } from "zod";

/** `{mailbox}` in a path: the mailbox's ID or its e-mail address (an address names it only while it is unique). */
export const mailboxRefSchema = z
  .string()
  .trim()
  .min(1)
  .max(320)
  .regex(/^[^\s/?#\x00-\x1f]+$/, "a mailbox ID or e-mail address, without spaces")
  .describe("The mailbox's ID, or its e-mail address.");

export const mailboxPathSchema = z.object({ mailbox: mailboxRefSchema });
