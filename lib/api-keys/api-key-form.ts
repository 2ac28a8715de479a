import { z } from "zod";
import { apiScopeSchema } from "@/lib/api-keys/api-key-scopes";

// The "new API key" form as the browser sends it, parsed with the messages shown beside each field.
// Mailboxes are named by address (or ID), one per line: the form must work with 10,000 mailboxes,
// where a picker of every mailbox would not. The database check (do they exist?) is create-api-key's.

const TAG = /^[a-z0-9][a-z0-9 _.-]{0,39}$/;
const DAY_MS = 86_400_000;

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim());

export const apiKeyFormSchema = z
  .object({
    name: z.string().trim().min(1, "Give the key a name that says who uses it, such as “Help desk IMAP poller”.").max(100, "Use at most 100 characters."),
    scopes: z.array(apiScopeSchema, { message: "Choose what the key may do." }).min(1, "Choose at least one scope."),
    mailboxScope: z.enum(["all", "chosen", "tag"], { message: "Choose which mailboxes the key may reach." }),
    mailboxes: optionalText,
    mailboxTag: optionalText.transform((v) => v.toLowerCase()),
    expiresOn: optionalText,
    rateLimitPerMinute: optionalText,
  })
  .transform((form, ctx) => {
    const mailboxRefs = [...new Set(form.mailboxes.split(/[\s,;]+/).map((m) => m.trim().toLowerCase()).filter(Boolean))];
    if (form.mailboxScope === "chosen" && mailboxRefs.length === 0) ctx.addIssue({ code: "custom", path: ["mailboxes"], message: "Name at least one mailbox (its address), one per line." });
    if (mailboxRefs.length > 5000) ctx.addIssue({ code: "custom", path: ["mailboxes"], message: "Name at most 5,000 mailboxes; use a tag for more." });
    if (form.mailboxScope === "tag" && !TAG.test(form.mailboxTag)) ctx.addIssue({ code: "custom", path: ["mailboxTag"], message: "Enter one tag the mailboxes carry, such as “helpdesk”." });

    let expiresAt: Date | null = null;
    if (form.expiresOn) {
      const day = /^\d{4}-\d{2}-\d{2}$/.test(form.expiresOn) ? new Date(`${form.expiresOn}T00:00:00.000Z`) : null;
      // Valid through the day given (UTC): it stops working when that day ends.
      if (!day || Number.isNaN(day.getTime())) ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Enter a date such as 2027-06-30, or leave it empty for no expiry." });
      else if (day.getTime() + DAY_MS <= Date.now()) ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Choose today or a later day." });
      else expiresAt = new Date(day.getTime() + DAY_MS);
    }

    let rateLimitPerMinute: number | null = null;
    if (form.rateLimitPerMinute) {
      const n = Number(form.rateLimitPerMinute);
      if (!/^\d+$/.test(form.rateLimitPerMinute) || n < 1 || n > 1_000_000) ctx.addIssue({ code: "custom", path: ["rateLimitPerMinute"], message: "Enter a whole number of requests per minute from 1 to 1,000,000, or leave it empty for the default." });
      else rateLimitPerMinute = n;
    }
    return {
      name: form.name,
      scopes: [...new Set(form.scopes)],
      mailboxScope: form.mailboxScope,
      mailboxRefs: form.mailboxScope === "chosen" ? mailboxRefs : [],
      mailboxTag: form.mailboxScope === "tag" ? form.mailboxTag : null,
      expiresAt,
      rateLimitPerMinute,
    };
  });

export type ApiKeyInput = z.output<typeof apiKeyFormSchema>;
export type ApiKeyFormInput = z.input<typeof apiKeyFormSchema>;
