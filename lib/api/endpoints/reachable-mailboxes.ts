import { mayReachMailbox, type ApiKeyPolicy } from "@/lib/api-keys/api-key-policy";
import type { ApiContext } from "@/lib/api/api-context";
import type { ApiMailbox } from "@/lib/api/queries/api-mailbox";
import { ApiProblem } from "@/lib/api/http/api-problem";

// The mailboxes a path's {mailbox} names that the key may reach. None: not_found, whether the mailbox does
// not exist or the key may not reach it (indistinguishable to the client; the audit record says which).

export const notFoundProblem = () => new ApiProblem("not_found", "No mailbox with that ID or address may be reached with this key.");

export async function reachableMailboxes(ctx: Pick<ApiContext, "services" | "deny"> & { key: ApiKeyPolicy }, ref: string): Promise<ApiMailbox[]> {
  const candidates = await ctx.services.mailboxes.resolve(ref);
  const reachable = candidates.filter((m) => mayReachMailbox(ctx.key, m));
  if (reachable.length === 0) {
    ctx.deny(candidates.length === 0 ? "mailbox_not_found" : "mailbox_not_reachable", ref);
    throw notFoundProblem();
  }
  return reachable;
}

export function ambiguousProblem(ref: string, count: number): ApiProblem {
  return new ApiProblem("ambiguous_mailbox", `${ref} is configured as ${count} mailboxes (one per protocol); name one by its ID (GET /api/v1/mailboxes lists them).`);
}
