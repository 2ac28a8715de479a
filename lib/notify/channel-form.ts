import { z } from "zod";
import { notificationEventSchema } from "@/lib/notify/notification-events";
import { emailAddress, optionalText } from "@/lib/notify/form-fields";
import { MIN_SECRET_LENGTH } from "@/lib/notify/webhook-secret";

// The "Add a channel" form: a signed webhook, or e-mail through a connected mailbox or the SMTP settings.
// Pure (no database), so every message beside a field can be tested.

/** Cross-field checks run even when another field is wrong, so every message shows at once (they read only optional fields). */
const always = () => true;

const name = z.string().trim().min(1, "Enter a name, such as “Help desk webhook”.").max(100, "Use at most 100 characters.");
const events = z.array(notificationEventSchema, { message: "Choose the events." }).min(1, "Choose at least one event.");

const webhookUrl = z
  .string()
  .trim()
  .min(1, "Enter the receiver's URL.")
  .max(2000, "Use at most 2000 characters.")
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "https:" || u.protocol === "http:") && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, "Enter an absolute http:// or https:// URL, such as https://helpdesk.example.com/hooks/mail-portal.");

export const webhookChannelSchema = z
  .object({
    kind: z.literal("webhook"),
    name,
    events,
    url: webhookUrl,
    /** generate: the portal makes a secret and shows it once; enter: the receiver's own secret. */
    secretMode: z.enum(["generate", "enter"]).default("generate"),
    secret: optionalText(500, "Use at most 500 characters."),
  })
  .refine((v) => v.secretMode !== "enter" || (v.secret ?? "").length >= MIN_SECRET_LENGTH, {
    path: ["secret"],
    message: `Enter a secret of at least ${MIN_SECRET_LENGTH} characters, or let the portal generate one.`,
    when: always,
  });

const recipients = z
  .string()
  .trim()
  .min(1, "Enter at least one address.")
  .max(2000, "Use at most 2000 characters.")
  .transform((v, ctx) => {
    const list = v.split(/[\s,;]+/).filter(Boolean);
    const bad = list.find((a) => !emailAddress("").safeParse(a).success);
    if (bad) ctx.addIssue({ code: "custom", message: `“${bad.slice(0, 80)}” is not an e-mail address.` });
    if (list.length > 20) ctx.addIssue({ code: "custom", message: "Use at most 20 addresses (or a distribution list)." });
    return list.map((a) => a.toLowerCase()).join(", ");
  });

export const emailChannelSchema = z
  .object({
    kind: z.literal("email"),
    name,
    events,
    emailTo: recipients,
    emailVia: z.enum(["mailbox", "smtp"], { message: "Choose how the e-mail is sent." }),
    viaMailboxId: optionalText(100, "Choose a mailbox."),
  })
  .refine((v) => v.emailVia !== "mailbox" || Boolean(v.viaMailboxId), {
    path: ["viaMailboxId"],
    message: "Choose the connected mailbox that sends the e-mail.",
    when: always,
  });

export const channelFormSchema = z.discriminatedUnion("kind", [webhookChannelSchema, emailChannelSchema], { message: "Choose webhook or e-mail." });
export type ChannelFormInput = z.infer<typeof channelFormSchema>;

/** FormData → the object the schema reads (the event checkboxes share one name). */
export function channelFormFromData(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of formData.entries()) if (k !== "events" && typeof v === "string") out[k] = v;
  out.events = formData.getAll("events").filter((v): v is string => typeof v === "string");
  return out;
}
