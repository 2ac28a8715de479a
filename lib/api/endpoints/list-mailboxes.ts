import type { HandlerOf } from "@/lib/api/api-context";
import { listReachableMailboxes, type ReachableMailbox } from "@/lib/api/queries/list-reachable-mailboxes";
import { ApiProblem } from "@/lib/api/http/api-problem";
import { jsonReply } from "@/lib/api/http/json-reply";
import { mailboxListSchema, type ApiMailboxJson } from "@/lib/api/schemas/mailbox-list-schemas";

// GET /api/v1/mailboxes?limit=&cursor=: keyset pages; the cursor is the last row's address and ID, opaque
// to the client (base64url JSON). A key reaches only its mailboxes: the reach is part of the query.

function decodeCursor(cursor: string | undefined): { address: string; id: string } | null {
  if (cursor === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string") return { address: value[0], id: value[1] };
  } catch {
    // fall through
  }
  throw new ApiProblem("invalid_request", "The cursor is not one this API gave out.", { errors: [{ in: "query", name: "cursor", message: "Pass the next_cursor of the previous page unchanged." }] });
}

const encodeCursor = (after: { address: string; id: string }) => Buffer.from(JSON.stringify([after.address, after.id]), "utf8").toString("base64url");
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toJson(m: ReachableMailbox): ApiMailboxJson {
  const state = m.grant?.state;
  return {
    id: m.id,
    address: m.address,
    display_name: m.displayName,
    direction: m.direction as ApiMailboxJson["direction"],
    auth_mode: m.authMode as ApiMailboxJson["auth_mode"],
    account_kind: m.accountKind as ApiMailboxJson["account_kind"],
    signing_identity: m.signingIdentity,
    tags: m.tags,
    protocols: m.uses.map((u) => ({ protocol: u.protocol, direction: u.direction, server: u.server })),
    connection: {
      state: (state ?? "not_connected") as ApiMailboxJson["connection"]["state"],
      account: m.grant?.account ?? null,
      consented_at: iso(m.grant?.consentedAt ?? null),
    },
    health: { state: m.health.state, failing_since: iso(m.health.failingSince) },
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
  };
}

export const listMailboxes: HandlerOf<"listMailboxes"> = async (ctx) => {
  const page = await listReachableMailboxes(ctx.key, { limit: ctx.query.limit, after: decodeCursor(ctx.query.cursor) });
  return jsonReply(mailboxListSchema, { data: page.rows.map(toJson), next_cursor: page.next ? encodeCursor(page.next) : null });
};
