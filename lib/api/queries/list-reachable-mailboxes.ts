import { getDb } from "@/lib/db/client";
import type { ApiKeyPolicy } from "@/lib/api-keys/api-key-policy";
import { mailboxHealthState, type MailboxHealthState } from "@/lib/health/mailbox-health-state";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import type { Direction, Protocol } from "@/lib/microsoft/protocols";
import { apiMailboxSelect, toApiMailbox } from "@/lib/api/queries/load-api-mailboxes";
import type { ApiServerSettings } from "@/lib/api/queries/api-mailbox";

// GET /api/v1/mailboxes: the mailboxes a key may reach, with their settings and state, in pages ordered by
// address then ID. The key's reach is part of the query (authorisation folded into the query), and the
// page is found by keyset (after the last address and ID), so page 200 costs what page 1 costs.

export interface ReachableMailbox {
  id: string;
  address: string;
  displayName: string;
  direction: string;
  authMode: string;
  accountKind: string;
  signingIdentity: string | null;
  tags: string[];
  uses: { protocol: Protocol; direction: Direction; server: ApiServerSettings | null }[];
  grant: { state: string; account: string | null; consentedAt: Date } | null;
  health: { state: MailboxHealthState; failingSince: Date | null };
  createdAt: Date;
  updatedAt: Date;
}

export interface ReachablePage {
  rows: ReachableMailbox[];
  /** The last row's position, when more may follow. */
  next: { address: string; id: string } | null;
}

export function reachWhere(policy: ApiKeyPolicy) {
  switch (policy.mailboxScope) {
    case "all":
      return {};
    case "chosen":
      return { apiKeys: { some: { apiKeyId: policy.id } } };
    case "tag":
      return { tags: { contains: `,${policy.mailboxTag ?? "\u0000"},` } };
  }
}

export async function listReachableMailboxes(policy: ApiKeyPolicy, page: { limit: number; after: { address: string; id: string } | null }): Promise<ReachablePage> {
  const after = page.after;
  const rows = await getDb().mailbox.findMany({
    where: {
      AND: [
        reachWhere(policy),
        after ? { OR: [{ address: { gt: after.address } }, { address: after.address, id: { gt: after.id } }] } : {},
      ],
    },
    orderBy: [{ address: "asc" }, { id: "asc" }],
    take: page.limit + 1,
    select: {
      ...apiMailboxSelect,
      displayName: true,
      direction: true,
      createdAt: true,
      grant: { select: { id: true, kind: true, state: true, consentedAt: true, userName: true } },
      healthStatuses: { select: { protocol: true, direction: true, ok: true, failingSince: true } },
    },
  });
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  return {
    rows: shown.map((r) => {
      const served = toApiMailbox(r);
      const latest = r.healthStatuses.map((h) => ({ protocol: h.protocol, direction: h.direction, ok: h.ok }));
      const since = r.healthStatuses.map((h) => h.failingSince?.getTime()).filter((t): t is number => t !== undefined);
      return {
        id: r.id,
        address: r.address,
        displayName: r.displayName,
        direction: r.direction,
        authMode: served.authMode,
        accountKind: r.accountKind,
        signingIdentity: r.signingIdentity,
        tags: served.tags,
        uses: usesOfMailbox(r).map((use) => ({ protocol: use.protocol, direction: use.direction, server: served.uses.find((u) => u.protocol === use.protocol)?.server ?? null })),
        grant: r.grant ? { state: r.grant.state, account: r.grant.userName, consentedAt: r.grant.consentedAt } : null,
        health: { state: mailboxHealthState(r.grant?.state ?? null, usesOfMailbox(r), latest), failingSince: since.length ? new Date(Math.min(...since)) : null },
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
      };
    }),
    next: more && shown.length > 0 ? { address: shown[shown.length - 1]!.address, id: shown[shown.length - 1]!.id } : null,
  };
}
