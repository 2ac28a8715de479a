import { getDb } from "@/lib/db/client";
import type { Condition, PortalLinks } from "@/lib/notify/condition";
import { credentialLevel, daysUntil, INACTIVITY_WARNING_DAYS, inactivityDaysLeft, REFRESH_TOKEN_INACTIVITY_DAYS } from "@/lib/notify/notification-rules";

// Things that expire on a date (field lessons #1 and #3: both fail silently on the day): app registrations'
// secrets and certificates (credentialExpiresAt, thresholds 30/14/7 days), and delegated refresh tokens
// that nothing has renewed for 76 days (Microsoft ends them after 90 days without use).

const DAY = 86_400_000;

export async function collectCredentialConditions(now: Date, links: PortalLinks): Promise<Condition[]> {
  const apps = await getDb().appRegistration.findMany({
    orderBy: { id: "asc" },
    select: { id: true, label: true, credentialType: true, credentialExpiresAt: true, _count: { select: { mailboxes: true } } },
  });
  return apps.map((a) => {
    const level = credentialLevel(a.credentialExpiresAt, now);
    const what = a.credentialType === "certificate" ? "certificate" : "client secret";
    return {
      family: "credential" as const,
      subjectKey: `app-credential:${a.id}`,
      state: level,
      describe: () => {
        const days = a.credentialExpiresAt ? daysUntil(a.credentialExpiresAt, now) : null;
        const day = a.credentialExpiresAt?.toISOString().slice(0, 10) ?? "";
        return {
          subject: { kind: "app_registration" as const, id: a.id, label: a.label },
          title: level === "expired" ? `App ${what} expired` : `App ${what} expires in ${days} day${days === 1 ? "" : "s"}`,
          explanation:
            `The ${what} of the app registration “${a.label}” ${level === "expired" ? "expired" : "expires"} on ${day}. ` +
            `${a._count.mailboxes} mailbox${a._count.mailboxes === 1 ? "" : "es"} authenticate${a._count.mailboxes === 1 ? "s" : ""} through it; ` +
            "from that day Microsoft refuses every token request with AADSTS7000222 and all of them stop.",
          fix: `In the Azure portal, add a new ${what} to the app registration, enter it in the portal (for a secret: its Value, not its ID) with its new expiry date, and press Check credentials.`,
          actor: "admin",
          details: { daysLeft: days, expiresAt: a.credentialExpiresAt?.toISOString() ?? null, credentialType: a.credentialType, mailboxes: a._count.mailboxes },
          links: { appRegistration: links.appRegistration(a.id) },
        };
      },
    };
  });
}

export async function collectInactivityConditions(now: Date, links: PortalLinks): Promise<Condition[]> {
  // Only delegated grants that still work: a stopped grant is already told as "needs consent"/"failing".
  const grants = await getDb().grant.findMany({
    where: { kind: "delegated" },
    orderBy: { mailboxId: "asc" },
    select: { mailboxId: true, state: true, refreshTokenIssuedAt: true, consentedAt: true, lastError: true, mailbox: { select: { address: true } } },
  });
  return grants.map((g) => {
    const issued = g.refreshTokenIssuedAt ?? g.consentedAt;
    const daysLeft = inactivityDaysLeft(issued, now);
    const state = g.state === "active" && daysLeft <= INACTIVITY_WARNING_DAYS ? "expiring" : "ok";
    return {
      family: "inactivity" as const,
      subjectKey: `refresh-token:${g.mailboxId}`,
      state,
      describe: () => ({
        subject: { kind: "mailbox" as const, id: g.mailboxId, label: g.mailbox.address },
        title: daysLeft > 0 ? `Refresh token lapses in ${daysLeft} day${daysLeft === 1 ? "" : "s"}` : "Refresh token lapses today",
        explanation:
          `Microsoft ends a refresh token that is not used for ${REFRESH_TOKEN_INACTIVITY_DAYS} days. The grant of ${g.mailbox.address} was last renewed on ` +
          `${issued.toISOString().slice(0, 10)}; on ${new Date(issued.getTime() + REFRESH_TOKEN_INACTIVITY_DAYS * DAY).toISOString().slice(0, 10)} the owner will have to sign in again. ` +
          "The portal's keep-alive renews idle grants every day, so it has been failing for this one.",
        fix: "Open the mailbox: the grant's last error says why it could not be renewed and who must act (the portal's log has the keep-alive's errors). If the date passes, the owner signs in again (Connect, or a consent link).",
        actor: "admin",
        details: { daysLeft, lastRenewedAt: issued.toISOString() },
        links: { mailbox: links.mailbox(g.mailboxId), tokenStatus: links.tokenStatus },
      }),
    };
  });
}
