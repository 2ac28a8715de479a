import { getDb } from "@/lib/db/client";
import { readCheckDetail, type CheckExplanationView } from "@/lib/health/check-explanation";
import { grantProblemOf } from "@/lib/health/get-grant-problem";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import { protocolLabels, type Protocol } from "@/lib/microsoft/protocols";
import type { Condition, ConditionText, PortalLinks } from "@/lib/notify/condition";
import { hasFailedConsecutively } from "@/lib/notify/consecutive-failures";

// Each mailbox's notification state, from its grant and the latest check of each protocol it uses
// (HealthStatus, written by lib/health):
//   inactive       no grant (never connected, or disconnected): nothing to tell
//   needs_consent  the grant needs the owner to sign in again
//   failing        the grant is stopped for another reason (app credential, policy), or some protocol
//                  failed its last `failingAfterChecks` checks in a row
//   ok             otherwise (a single failed check is not yet news)

interface FailingUse {
  label: string;
  explanation: CheckExplanationView | null;
  errorClass: string | null;
}

export async function collectMailboxConditions(failingAfterChecks: number, links: PortalLinks): Promise<Condition[]> {
  const rows = await getDb().mailbox.findMany({
    orderBy: { id: "asc" },
    select: {
      id: true,
      address: true,
      authMode: true,
      ownerEmail: true,
      inboundProtocol: true,
      outboundProtocol: true,
      grant: { select: { state: true, lastError: true } },
      healthStatuses: { where: { ok: false }, select: { protocol: true, direction: true, failingSince: true, errorClass: true, detail: true } },
    },
  });
  const conditions: Condition[] = [];
  for (const m of rows) {
    const subject = { kind: "mailbox" as const, id: m.id, label: m.address };
    const mailboxLinks = { mailbox: links.mailbox(m.id), tokenStatus: links.tokenStatus };
    const subjectKey = `mailbox:${m.id}`;
    if (!m.grant) {
      conditions.push({ family: "mailbox", subjectKey, state: "inactive", describe: () => recovered(subject, mailboxLinks) });
      continue;
    }
    const grantProblem = grantProblemOf(m.grant);
    if (grantProblem) {
      const state = m.grant.state === "needs_consent" ? "needs_consent" : "failing";
      const owner = state === "needs_consent" && m.authMode === "delegated" && m.ownerEmail ? { mailboxId: m.id, email: m.ownerEmail } : undefined;
      conditions.push({
        family: "mailbox",
        subjectKey,
        state,
        ...(owner ? { owner } : {}),
        describe: (event) =>
          event === "mailbox.recovered"
            ? recovered(subject, mailboxLinks)
            : explained(state === "needs_consent" ? "Mailbox needs re-consent" : "Mailbox failing", grantProblem, subject, mailboxLinks, { grantState: m.grant!.state }),
      });
      continue;
    }
    const failing: FailingUse[] = [];
    for (const use of usesOfMailbox(m)) {
      const status = m.healthStatuses.find((s) => s.protocol === use.protocol && s.direction === use.direction);
      if (!status?.failingSince) continue;
      if (!(await hasFailedConsecutively(m.id, use, status.failingSince, failingAfterChecks))) continue;
      failing.push({
        label: `${protocolLabels[use.protocol as Protocol]} ${use.direction}`,
        explanation: readCheckDetail(status.detail, status.errorClass).explanation,
        errorClass: status.errorClass,
      });
    }
    const first = failing[0];
    conditions.push({
      family: "mailbox",
      subjectKey,
      state: first ? "failing" : "ok",
      describe: (event) =>
        event === "mailbox.failing" && first
          ? explained("Mailbox failing", first.explanation ?? unexplained(first), subject, mailboxLinks, {
              failingProtocols: failing.map((f) => f.label),
              consecutiveFailedChecks: failingAfterChecks,
              errorClass: first.errorClass,
              serverResponse: first.explanation?.serverResponse?.slice(0, 300) ?? null,
            })
          : recovered(subject, mailboxLinks),
    });
  }
  return conditions;
}

function explained(prefix: string, x: Pick<CheckExplanationView, "title" | "explanation" | "fix" | "actor">, subject: ConditionText["subject"], links: Record<string, string>, details: ConditionText["details"]): ConditionText {
  return { subject, title: `${prefix}: ${x.title}`, explanation: x.explanation, fix: x.fix, actor: x.actor, details, links };
}

function unexplained(use: FailingUse): Pick<CheckExplanationView, "title" | "explanation" | "fix" | "actor"> {
  return {
    title: `${use.label} check failed`,
    explanation: `The ${use.label} check failed (${use.errorClass ?? "unknown error"}).`,
    fix: "Open the mailbox in the portal and press Test now for the details.",
    actor: "admin",
  };
}

function recovered(subject: ConditionText["subject"], links: Record<string, string>): ConditionText {
  return {
    subject,
    title: "Mailbox working again",
    explanation: `The grant of ${subject.label} is active and its protocols pass their checks again.`,
    fix: "Nothing to do.",
    actor: "nobody",
    details: {},
    links,
  };
}
