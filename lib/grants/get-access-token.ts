import type { ProtocolUse } from "@/lib/microsoft/protocols";
import { getAppOnlyToken } from "@/lib/grants/app-only-token";
import { assertGrantActive } from "@/lib/grants/grant-state";
import { GrantUnavailableError, modeMismatchExplanation, notConnectedExplanation } from "@/lib/grants/grant-unavailable-error";
import { fromStored, type MailboxAccessToken } from "@/lib/grants/mailbox-access-token";
import { loadMailboxTokenContext, storedTokenFor } from "@/lib/grants/mailbox-token-context";
import { refreshDelegatedToken } from "@/lib/grants/refresh-delegated-grant";
import { touchLastUsed } from "@/lib/grants/touch-last-used";
import { isFresh, resolvePolicy, type TokenPolicy } from "@/lib/grants/token-policy";

export { GrantUnavailableError } from "@/lib/grants/grant-unavailable-error";
export type { GrantUnavailableCode } from "@/lib/grants/grant-unavailable-error";
export type { MailboxAccessToken } from "@/lib/grants/mailbox-access-token";

// The token engine's front door: a current access token for one protocol use of a mailbox, or a
// GrantUnavailableError that says who must do what. Delegated: the stored token for the use's resource
// while more than 5 minutes remain, otherwise one refresh per grant across all processes (one resource per
// token, reference §2.3: the same refresh token gets the second resource's token). App-only: client
// credentials per app + tenant + resource, cached (app-only-token.ts). Never logs or returns a secret
// except the access token itself, to the caller.

export interface GetAccessTokenOptions {
  /** Timings; the defaults are the product's (token-policy.ts). Tests shorten them. */
  policy?: Partial<TokenPolicy>;
}

export async function getAccessTokenForMailbox(mailboxId: string, use: ProtocolUse, options: GetAccessTokenOptions = {}): Promise<MailboxAccessToken> {
  const policy = resolvePolicy(options.policy);
  const ctx = await loadMailboxTokenContext(mailboxId, use);
  const grant = ctx.grant;
  if (!grant) throw new GrantUnavailableError("not_connected", notConnectedExplanation);
  if (grant.kind !== ctx.mailbox.authMode) throw new GrantUnavailableError("not_connected", modeMismatchExplanation);
  assertGrantActive(grant);
  touchLastUsed(grant, policy.lastUsedWriteIntervalMs);

  if (grant.kind === "app_only") return getAppOnlyToken(ctx, grant, policy);

  const stored = storedTokenFor(grant, ctx.resource);
  const token = stored ? fromStored(grant.id, stored) : null;
  if (token && isFresh(token.expiresAt, new Date(), policy)) return token;
  return refreshDelegatedToken({ grantId: grant.id, mailboxId: ctx.mailbox.id, app: ctx.app, resource: ctx.resource, requestScopes: ctx.requestScopes }, policy);
}
