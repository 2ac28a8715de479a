import { randomUUID } from "node:crypto";
import { z } from "zod";
import { redact } from "@/lib/log";
import { TEST_EVENT, notificationEvents } from "@/lib/notify/notification-events";

// The JSON body of a webhook, kept as such in the delivery log and turned into the text of an e-mail. It
// carries what a person needs to act (address, state, the catalog's title and fix, links into the portal)
// and never a token, secret or consent link. `id` stays the same across retries and channels, so a
// receiver can drop duplicates.

export const PAYLOAD_VERSION = 1;

const detailValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const notificationPayloadSchema = z.object({
  version: z.literal(PAYLOAD_VERSION),
  id: z.string(),
  type: z.enum([...notificationEvents, TEST_EVENT]),
  createdAt: z.string(),
  /** True for the daily reminder of a state that has not changed. */
  reminder: z.boolean(),
  portal: z.object({ name: z.string(), url: z.string() }),
  subject: z.object({
    kind: z.enum(["mailbox", "app_registration", "channel"]),
    id: z.string(),
    /** The mailbox address, the app registration's name, or the channel's name. */
    label: z.string(),
  }),
  state: z.string(),
  previousState: z.string().nullable(),
  /** When the current state began. */
  since: z.string(),
  title: z.string(),
  explanation: z.string(),
  fix: z.string(),
  /** Who must act: admin | mailbox_owner | retry | portal_operator | nobody. */
  actor: z.string(),
  details: z.record(z.string(), detailValue),
  links: z.record(z.string(), z.string()),
  /** Set only on the e-mail to a mailbox owner with a consent link (never in a webhook). */
  recipient: z.object({ kind: z.literal("mailbox_owner"), address: z.string() }).optional(),
});
export type NotificationPayload = z.infer<typeof notificationPayloadSchema>;

export type PayloadInput = Omit<NotificationPayload, "version" | "id" | "createdAt" | "reminder" | "portal"> & { reminder?: boolean };

/** Builds a payload; every text passes the log redactor as a second line of defence against secrets. */
export function buildPayload(input: PayloadInput, portal: { name: string; url: string }, now: Date): NotificationPayload {
  const clean = (s: string) => redact(s);
  const details: NotificationPayload["details"] = {};
  for (const [k, v] of Object.entries(input.details)) details[k] = typeof v === "string" ? clean(v) : Array.isArray(v) ? v.map(clean) : v;
  return {
    version: PAYLOAD_VERSION,
    id: randomUUID(),
    type: input.type,
    createdAt: now.toISOString(),
    reminder: input.reminder ?? false,
    portal,
    subject: input.subject,
    state: input.state,
    previousState: input.previousState,
    since: input.since,
    title: clean(input.title),
    explanation: clean(input.explanation),
    fix: clean(input.fix),
    actor: input.actor,
    details,
    links: input.links,
    ...(input.recipient ? { recipient: input.recipient } : {}),
  };
}

/** The stored payload read back (parsed, not cast: a row written by an older version must not break the log). */
export function readPayload(json: string): NotificationPayload | null {
  try {
    const parsed = notificationPayloadSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
