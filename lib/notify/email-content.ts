import type { NotificationPayload } from "@/lib/notify/notification-payload";

// The plain-text e-mail made from a payload: subject line for an inbox list, then what happened, what to
// do and where to look. The owner's consent e-mail is the only one with a consent link, which is added
// when it is sent and never stored.

export interface EmailMessage {
  subject: string;
  text: string;
}

const actorWords: Record<string, string> = {
  admin: "a portal admin",
  mailbox_owner: "the mailbox owner",
  retry: "nobody yet (the portal retries)",
  portal_operator: "whoever runs the portal",
  nobody: "nobody",
};

export function notificationEmail(payload: NotificationPayload): EmailMessage {
  const prefix = payload.reminder ? "Reminder: " : "";
  const subject = `[${payload.portal.name}] ${prefix}${payload.title}: ${payload.subject.label}`;
  const details = Object.entries(payload.details)
    .filter(([, v]) => v !== null && v !== "")
    .map(([k, v]) => `  ${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`);
  const links = Object.entries(payload.links).map(([k, v]) => `  ${k}: ${v}`);
  const text = [
    `${payload.title}: ${payload.subject.label}`,
    "",
    payload.explanation,
    "",
    `What to do (${actorWords[payload.actor] ?? payload.actor}): ${payload.fix}`,
    "",
    `State: ${payload.state}${payload.previousState ? ` (was ${payload.previousState})` : ""}, since ${payload.since}`,
    ...(details.length ? ["", "Details:", ...details] : []),
    ...(links.length ? ["", "In the portal:", ...links] : []),
    "",
    `-- ${payload.portal.name} (${payload.portal.url}), event ${payload.type}, id ${payload.id}`,
    payload.reminder ? "You get this reminder once a day while the problem lasts." : "",
  ].join("\n");
  return { subject, text };
}

/** To the mailbox owner: why, and the one-time link to sign in again (valid 7 days, once). */
export function ownerConsentEmail(payload: NotificationPayload, consentUrl: string, expiresAt: Date): EmailMessage {
  return {
    subject: `[${payload.portal.name}] Please sign in again to keep ${payload.subject.label} connected`,
    text: [
      "Hello,",
      "",
      `${payload.portal.name} reads or sends mail for ${payload.subject.label} with your permission, and Microsoft no longer accepts that permission.`,
      `(${payload.explanation})`,
      "",
      "Please open this link and sign in with your Microsoft account to give it again:",
      "",
      `  ${consentUrl}`,
      "",
      `The link works once and until ${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC. It does not give anyone your password.`,
      "If you did not expect this e-mail, ask your IT department before you open the link.",
      "",
      `-- ${payload.portal.name} (${payload.portal.url})`,
    ].join("\n"),
  };
}
