import type { HandlerOf } from "@/lib/api/api-context";
import { loadMailboxHealth } from "@/lib/api/queries/load-mailbox-health";
import { jsonReply } from "@/lib/api/http/json-reply";
import { mailboxHealthSchema, type MailboxHealthJson } from "@/lib/api/schemas/mailbox-health-schemas";
import { ambiguousProblem, notFoundProblem, reachableMailboxes } from "@/lib/api/endpoints/reachable-mailboxes";
import type { CheckExplanationView } from "@/lib/health/check-explanation";

// GET /api/v1/mailboxes/{mailbox}/health: read from the database each time (health changes with every
// check and is not on anyone's hot path).

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const explanationOf = (e: CheckExplanationView | null) => (e ? { code: e.code, title: e.title, explanation: e.explanation, fix: e.fix, actor: e.actor } : null);

export const getMailboxHealth: HandlerOf<"getMailboxHealth"> = async (ctx) => {
  const reachable = await reachableMailboxes(ctx, ctx.params.mailbox);
  if (reachable.length > 1) throw ambiguousProblem(ctx.params.mailbox, reachable.length);
  const health = await loadMailboxHealth(reachable[0]!.id);
  if (!health) throw notFoundProblem();
  return jsonReply(mailboxHealthSchema, {
    mailbox_id: health.id,
    address: health.address,
    state: health.state,
    connection_state: (health.grantState ?? "not_connected") as MailboxHealthJson["connection_state"],
    connection_problem: explanationOf(health.grantProblem),
    checks: health.checks.map((c) => ({
      protocol: c.protocol,
      direction: c.direction,
      ok: c.ok,
      checked_at: iso(c.checkedAt),
      duration_ms: c.durationMs,
      trigger: c.trigger,
      error_class: c.errorClass,
      last_ok_at: iso(c.lastOkAt),
      failing_since: iso(c.failingSince),
      problem: explanationOf(c.problem),
    })),
  });
};
