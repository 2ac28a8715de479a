import type { NotificationEvent } from "@/lib/notify/notification-events";

// When to tell someone (issue 7 item 7; field lessons #2, #3): once per change of a subject's state, and
// while a problem lasts at most once a day. Pure: the clock and the stored state come in, the decision
// goes out, so the rules are tested without a database and without waiting a day.
//
// Subjects and their states:
//   mailbox:<id>          ok | failing | needs_consent | inactive (not connected: nothing to tell)
//   app-credential:<id>   ok | expiring_30 | expiring_14 | expiring_7 | expired   (days left ≤ 30/14/7/0)
//   refresh-token:<id>    ok | expiring   (≤ 14 days before Microsoft's 90-day inactivity limit)

export type SubjectFamily = "mailbox" | "credential" | "inactivity";

export const DAY_MS = 86_400_000;
export const CREDENTIAL_THRESHOLDS = [30, 14, 7] as const;
export const INACTIVITY_WARNING_DAYS = 14;
export const REFRESH_TOKEN_INACTIVITY_DAYS = 90;

const credentialLevels = ["ok", "expiring_30", "expiring_14", "expiring_7", "expired"] as const;
export type CredentialLevel = (typeof credentialLevels)[number];

/** Whole days left, rounded up as the app registration pages show them ("1 day left" until it expires). */
export function daysUntil(date: Date, now: Date): number {
  return Math.ceil((date.getTime() - now.getTime()) / DAY_MS);
}

export function credentialLevel(expiresAt: Date | null, now: Date): CredentialLevel {
  if (!expiresAt) return "ok";
  const days = daysUntil(expiresAt, now);
  if (days <= 0) return "expired";
  if (days <= 7) return "expiring_7";
  if (days <= 14) return "expiring_14";
  if (days <= 30) return "expiring_30";
  return "ok";
}

/** Days before the refresh token lapses, counted as the token status board counts them (rounded down). */
export function inactivityDaysLeft(issuedAt: Date, now: Date): number {
  return Math.floor((issuedAt.getTime() + REFRESH_TOKEN_INACTIVITY_DAYS * DAY_MS - now.getTime()) / DAY_MS);
}

export interface StoredState {
  state: string;
  since: Date;
  lastNotified: Date | null;
}

export interface Decision {
  /** The event to send, or null. */
  event: NotificationEvent | null;
  reminder: boolean;
  /** The state row to write, or null when nothing changed. */
  write: StoredState | null;
}

export interface RuleOptions {
  remindDaily: boolean;
  /** "At most daily": a reminder needs this long since the last notification of the subject. */
  reminderIntervalMs?: number;
}

const quiet: Record<SubjectFamily, readonly string[]> = {
  mailbox: ["ok", "inactive"],
  credential: ["ok"],
  inactivity: ["ok"],
};

/** States that keep reminding while they last (30 and 14 days are followed by the next threshold instead). */
const reminding: Record<SubjectFamily, readonly string[]> = {
  mailbox: ["failing", "needs_consent"],
  credential: ["expiring_7", "expired"],
  inactivity: ["expiring"],
};

/** The event for entering `next` from `previous` (null: a first sighting), or null for a quiet change. */
function eventFor(family: SubjectFamily, previous: string | null, next: string): NotificationEvent | null {
  switch (family) {
    case "mailbox":
      if (next === "failing") return "mailbox.failing";
      if (next === "needs_consent") return "mailbox.needs_consent";
      // Recovered only from a state someone was told about; disconnecting a failing mailbox is not a recovery.
      if (next === "ok" && (previous === "failing" || previous === "needs_consent")) return "mailbox.recovered";
      return null;
    case "credential": {
      // Only a step closer to expiry is news; a renewed credential (a step back) is written quietly.
      const from = credentialLevels.indexOf((previous ?? "ok") as CredentialLevel);
      const to = credentialLevels.indexOf(next as CredentialLevel);
      return to > Math.max(from, 0) ? "app.credential_expiring" : null;
    }
    case "inactivity":
      return next === "expiring" ? "grant.refresh_token_expiring" : null;
  }
}

export function decideNotification(family: SubjectFamily, stored: StoredState | null, current: string, now: Date, options: RuleOptions): Decision {
  const interval = options.reminderIntervalMs ?? DAY_MS;
  if (!stored || stored.state !== current) {
    const event = eventFor(family, stored?.state ?? null, current);
    // A first sighting of a quiet state is recorded without a word (a new mailbox, the first run).
    return { event, reminder: false, write: { state: current, since: now, lastNotified: event ? now : (stored?.lastNotified ?? null) } };
  }
  if (!options.remindDaily || !reminding[family].includes(current) || quiet[family].includes(current)) return { event: null, reminder: false, write: null };
  const last = stored.lastNotified ?? stored.since;
  if (now.getTime() - last.getTime() < interval) return { event: null, reminder: false, write: null };
  const event = eventFor(family, null, current);
  return { event, reminder: event !== null, write: event ? { ...stored, lastNotified: now } : null };
}
