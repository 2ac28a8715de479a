import { protocolLabels } from "@/lib/microsoft/protocols";
import type { HandlerOf } from "@/lib/api/api-context";
import { ApiProblem } from "@/lib/api/http/api-problem";
import { tokenResponseBody } from "@/lib/api/token/build-token-response";
import { ambiguousProblem, reachableMailboxes } from "@/lib/api/endpoints/reachable-mailboxes";

// POST /api/v1/mailboxes/{mailbox}/token?protocol=imap|pop3|smtp|graph|ews
// The hot path: with the key, the mailbox and a fresh token in memory, this is map lookups and a write of
// bytes kept from the first answer; the issuance is counted in memory and written later in a batch.

export const issueMailboxToken: HandlerOf<"issueMailboxToken"> = async (ctx) => {
  const { protocol } = ctx.query;
  const reachable = await reachableMailboxes(ctx, ctx.params.mailbox);
  const configured = reachable.filter((m) => m.uses.some((u) => u.protocol === protocol));
  if (configured.length === 0) {
    const uses = reachable.flatMap((m) => m.uses.map((u) => u.protocol));
    throw new ApiProblem("protocol_not_configured", `${reachable[0]!.address} is not configured for ${protocolLabels[protocol]}; it uses ${uses.length ? uses.join(", ") : "no protocol"}.`);
  }
  if (configured.length > 1) throw ambiguousProblem(ctx.params.mailbox, configured.length);
  const mailbox = configured[0]!;
  const use = mailbox.uses.find((u) => u.protocol === protocol)!;
  const token = await ctx.services.tokens.get(mailbox, use, ctx.caller);
  ctx.services.usage.countIssuance(ctx.key.id, mailbox.id);
  return { status: 200, body: tokenResponseBody(mailbox, use, token) };
};
