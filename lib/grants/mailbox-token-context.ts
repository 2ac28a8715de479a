import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { toAppRegistrationView, type AppRegistrationView } from "@/lib/app-registrations/app-registration-view";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import type { AuthMode, ProtocolUse } from "@/lib/microsoft/protocols";
import { delegatedScopePlan, normalizeAudience, tokenRequirementFor } from "@/lib/microsoft/scopes";

// Everything a token request for one mailbox and protocol use needs, read in one query: the mailbox, its app
// registration (cloud endpoints, tenant, client ID; never the credential), its grant with the stored access
// tokens (ciphertext), and the resource and scopes the use needs (reference §2.1–§2.3).

export const grantSelect = {
  id: true,
  mailboxId: true,
  kind: true,
  state: true,
  scopes: true,
  refreshTokenEncrypted: true,
  previousRefreshTokenEncrypted: true,
  refreshTokenVersion: true,
  consentedAt: true,
  refreshTokenIssuedAt: true,
  lastRefreshAt: true,
  lastUsedAt: true,
  failureCount: true,
  nextAttemptAt: true,
  lastError: true,
  accessTokens: { select: { resource: true, tokenEncrypted: true, expiresAt: true, claims: true } },
} as const;

export interface StoredAccessToken {
  resource: string;
  tokenEncrypted: string;
  expiresAt: Date;
  claims: string;
}

export interface GrantRow {
  id: string;
  mailboxId: string;
  kind: string;
  state: string;
  scopes: string;
  refreshTokenEncrypted: string | null;
  previousRefreshTokenEncrypted: string | null;
  refreshTokenVersion: number;
  consentedAt: Date;
  refreshTokenIssuedAt: Date | null;
  lastRefreshAt: Date | null;
  lastUsedAt: Date | null;
  failureCount: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  accessTokens: StoredAccessToken[];
}

export interface MailboxTokenContext {
  mailbox: { id: string; address: string; authMode: AuthMode; signingIdentity: string | null };
  app: AppRegistrationView;
  grant: GrantRow | null;
  /** The resource the use's token is for (one audience per token, reference §2.3). */
  resource: string;
  /** Delegated: this resource's scopes for every use of the mailbox, plus OIDC (offline_access keeps a refresh token coming). */
  requestScopes: string[];
}

export function storedTokenFor(grant: Pick<GrantRow, "accessTokens">, resource: string): StoredAccessToken | null {
  const key = normalizeAudience(resource);
  return grant.accessTokens.find((t) => normalizeAudience(t.resource) === key) ?? null;
}

/** The resource and request scopes of a use, for a mailbox's set of uses (shared mailboxes need *.Shared on Graph). */
export function resourceScopesFor(
  use: ProtocolUse,
  mailbox: { inboundProtocol: string | null; outboundProtocol: string | null; authMode: AuthMode; signingIdentity: string | null },
  app: Pick<AppRegistrationView, "endpoints">,
): { resource: string; requestScopes: string[] } {
  const options = { sharedMailbox: Boolean(mailbox.signingIdentity) };
  const requirement = tokenRequirementFor(use, mailbox.authMode, app.endpoints, options);
  if (mailbox.authMode === "app_only") return { resource: requirement.resource, requestScopes: requirement.scopes };
  const plan = delegatedScopePlan([use, ...usesOfMailbox(mailbox)], app.endpoints, options);
  const entry = plan.resources.find((r) => normalizeAudience(r.resource) === normalizeAudience(requirement.resource))!;
  return { resource: entry.resource, requestScopes: entry.requestScopes };
}

export async function loadMailboxTokenContext(mailboxId: string, use: ProtocolUse): Promise<MailboxTokenContext> {
  const row = await getDb().mailbox.findUnique({
    where: { id: mailboxId },
    select: {
      id: true,
      address: true,
      authMode: true,
      signingIdentity: true,
      inboundProtocol: true,
      outboundProtocol: true,
      appRegistration: true,
      grant: { select: grantSelect },
    },
  });
  if (!row) throw new AppError("not_found", "That mailbox does not exist.");
  const app = toAppRegistrationView(row.appRegistration);
  const mailbox = { id: row.id, address: row.address, authMode: (row.authMode === "app_only" ? "app_only" : "delegated") as AuthMode, signingIdentity: row.signingIdentity };
  const { resource, requestScopes } = resourceScopesFor(use, { ...mailbox, inboundProtocol: row.inboundProtocol, outboundProtocol: row.outboundProtocol }, app);
  return { mailbox, app, grant: row.grant, resource, requestScopes };
}

/** The grant alone (after a lease is taken, or while waiting for another process). */
export async function loadGrant(grantId: string): Promise<GrantRow | null> {
  return getDb().grant.findUnique({ where: { id: grantId }, select: grantSelect });
}
