import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { AccessTokenClaims, TokenSuccess } from "@/lib/microsoft/token-endpoint";
import { sealAccessToken, sealRefreshToken } from "@/lib/grants/grant-secrets";

// The one way a delegated grant is stored after consent (the redirect URI's callback and the tests): the
// refresh token and the first resource's access token through the vault, one grant per mailbox (upsert),
// state back to active, errors and backoff cleared. A new consent starts a new chain: the previous refresh
// token (possibly another account's) is dropped, access tokens of other resources too, and the version is
// bumped so a refresh still in flight from before cannot overwrite this (its compare-and-set fails).
// The caller records the audit event (it knows the actor); nothing secret is returned.

export interface GrantAccount {
  tenantId: string | null;
  objectId: string | null;
  userName: string | null;
  displayName: string | null;
}

export interface SaveGrantInput {
  mailboxId: string;
  kind?: "delegated";
  /** The resource the access token is for (reference §2.3: the first resource of the consent). */
  resource: string;
  tokens: Pick<TokenSuccess, "accessToken" | "refreshToken" | "expiresIn" | "scope" | "claims">;
  account: GrantAccount;
  /** Every scope consented to (all resources); default: the token's scope. */
  consentedScopes?: string[];
  now?: Date;
}

export function claimsJson(claims: AccessTokenClaims): string {
  return JSON.stringify(claims);
}

export async function saveGrantFromTokens(input: SaveGrantInput): Promise<{ grantId: string }> {
  if (!input.tokens.refreshToken) {
    // Reference §2.1: without offline_access there is no refresh token, and the grant would die within the hour.
    throw new AppError("validation", "Microsoft returned no refresh token, so the mailbox could not stay connected. Consent must include offline_access.");
  }
  const now = input.now ?? new Date();
  const db = getDb();
  const scopes = [...new Set([...(input.consentedScopes ?? []), ...input.tokens.scope.split(" ")].filter(Boolean))].join(" ");
  const grantId = await db.$transaction(async (tx) => {
    const existing = await tx.grant.findUnique({ where: { mailboxId: input.mailboxId }, select: { id: true } });
    const id = existing?.id ?? randomUUID();
    const fields = {
      kind: input.kind ?? "delegated",
      state: "active",
      tenantId: input.account.tenantId,
      objectId: input.account.objectId,
      userName: input.account.userName,
      displayName: input.account.displayName,
      scopes,
      refreshTokenEncrypted: sealRefreshToken(id, input.tokens.refreshToken!),
      previousRefreshTokenEncrypted: null,
      consentedAt: now,
      refreshTokenIssuedAt: now,
      lastRefreshAt: null,
      failureCount: 0,
      nextAttemptAt: null,
      lastError: null,
      lastErrorAt: null,
    };
    if (existing) {
      await tx.grant.update({ where: { id }, data: { ...fields, refreshTokenVersion: { increment: 1 } } });
      await tx.grantAccessToken.deleteMany({ where: { grantId: id } });
    } else {
      await tx.grant.create({ data: { id, mailboxId: input.mailboxId, ...fields } });
    }
    await tx.grantAccessToken.create({
      data: {
        grantId: id,
        resource: input.resource,
        tokenEncrypted: sealAccessToken(id, input.resource, input.tokens.accessToken),
        expiresAt: new Date(now.getTime() + input.tokens.expiresIn * 1000),
        claims: claimsJson(input.tokens.claims),
        issuedAt: now,
      },
    });
    return id;
  });
  return { grantId };
}
