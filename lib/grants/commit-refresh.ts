import { getDb } from "@/lib/db/client";
import type { TokenSuccess } from "@/lib/microsoft/token-endpoint";
import { sealAccessToken, sealPreviousRefreshToken, sealRefreshToken } from "@/lib/grants/grant-secrets";
import { refreshTestHooks } from "@/lib/grants/refresh-test-hooks";
import { claimsJson } from "@/lib/grants/save-grant";

// Saves what a refresh returned, atomically (field lessons #1: the rotated refresh token must never be
// lost). One transaction writes the new refresh token, keeps the one that was just used as the previous
// (it is known to work; Microsoft does not revoke it, reference §5), bumps refreshTokenVersion and stores
// the access token. Compare-and-set on the version read before the request: if anything else wrote the
// grant meanwhile (a re-consent, a disconnect, a refresh whose lease outlived ours) nothing is written.
// A crash before the commit leaves the old refresh token, which still works; a crash after it leaves the
// new one. There is no point in between.

export interface CommitRefreshInput {
  grantId: string;
  expectedVersion: number;
  /** The refresh token the request was made with: it worked, so it becomes the fallback. */
  usedRefreshToken: string;
  tokens: TokenSuccess;
  resource: string;
  now: Date;
}

export async function commitRefresh(input: CommitRefreshInput): Promise<boolean> {
  const { grantId, tokens, resource, now } = input;
  const expiresAt = new Date(now.getTime() + tokens.expiresIn * 1000);
  const committed = await getDb().$transaction(async (tx) => {
    const { count } = await tx.grant.updateMany({
      where: { id: grantId, refreshTokenVersion: input.expectedVersion, state: "active" },
      data: {
        ...(tokens.refreshToken
          ? {
              refreshTokenEncrypted: sealRefreshToken(grantId, tokens.refreshToken),
              previousRefreshTokenEncrypted: sealPreviousRefreshToken(grantId, input.usedRefreshToken),
              refreshTokenIssuedAt: now,
            }
          : {}),
        refreshTokenVersion: { increment: 1 },
        lastRefreshAt: now,
        failureCount: 0,
        nextAttemptAt: null,
        lastError: null,
      },
    });
    if (count !== 1) return false;
    await refreshTestHooks().insideCommit?.();
    const token = { tokenEncrypted: sealAccessToken(grantId, resource, tokens.accessToken), expiresAt, claims: claimsJson(tokens.claims), issuedAt: now };
    await tx.grantAccessToken.upsert({
      where: { grantId_resource: { grantId, resource } },
      create: { grantId, resource, ...token },
      update: token,
    });
    return true;
  });
  if (committed) await refreshTestHooks().afterCommit?.();
  return committed;
}
