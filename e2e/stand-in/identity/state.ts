// Server-side state of the identity platform: pending sign-ins, authorization codes, refresh
// tokens, browser sessions and opaque (personal-account) access tokens.
import { newGuid, randomBase64Url } from "../crypto/ids";
import type { TenantSegment } from "./tenant-segment";

export interface UserRef {
  tenantId: string;
  userId: string;
}

export type ResponseMode = "query" | "fragment" | "form_post";

export interface SignInTransaction {
  id: string;
  flow: "authorize" | "adminconsent";
  segment: TenantSegment;
  clientId: string;
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  loginHint?: string;
  prompt?: string;
  createdAt: number;
  user?: UserRef;
  /** The browser session the user signed in with (set on pick or single sign-on). */
  sessionId?: string;
  authTime?: number;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  user: UserRef;
  segment: TenantSegment;
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  nonce?: string;
  authTime: number;
  sessionId: string;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  clientId: string;
  user: UserRef;
  /** The scopes of the request that produced it (used when a refresh sends no scope). */
  scopes: string[];
  authTime: number;
  sessionId: string;
  issuedAt: Date;
  lastUsedAt: Date;
  /** Set when a refresh returned a successor (reference §5: Microsoft does not revoke it). */
  rotatedAt?: Date;
  revokedAt?: Date;
}

export interface OpaqueToken {
  claims: Record<string, unknown>;
  expiresAt: number;
}

const TRANSACTION_TTL_MS = 30 * 60_000;

export class IdentityState {
  readonly transactions = new Map<string, SignInTransaction>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly sessions = new Map<string, { user: UserRef; authTime: number }>();
  readonly opaqueTokens = new Map<string, OpaqueToken>();

  reset(): void {
    this.transactions.clear();
    this.codes.clear();
    this.refreshTokens.clear();
    this.sessions.clear();
    this.opaqueTokens.clear();
  }

  newTransaction(t: Omit<SignInTransaction, "id" | "createdAt">): SignInTransaction {
    const now = Date.now();
    for (const [id, old] of this.transactions) if (now - old.createdAt > TRANSACTION_TTL_MS) this.transactions.delete(id);
    const tx: SignInTransaction = { ...t, id: randomBase64Url(24), createdAt: now };
    this.transactions.set(tx.id, tx);
    return tx;
  }

  transaction(id: string | null): SignInTransaction | undefined {
    if (!id) return undefined;
    const tx = this.transactions.get(id);
    if (!tx || Date.now() - tx.createdAt > TRANSACTION_TTL_MS) return undefined;
    return tx;
  }

  newCode(c: Omit<AuthorizationCode, "code" | "redeemed">): AuthorizationCode {
    // Microsoft's codes are long opaque strings (~700+ chars): keep the length realistic.
    const code: AuthorizationCode = { ...c, code: `1.A${randomBase64Url(480)}`, redeemed: false };
    this.codes.set(code.code, code);
    return code;
  }

  newRefreshToken(r: Omit<RefreshTokenRecord, "token" | "issuedAt" | "lastUsedAt">): RefreshTokenRecord {
    // Real refresh tokens are opaque and well over 1000 characters; storage code should cope.
    const now = new Date();
    const record: RefreshTokenRecord = { ...r, token: `1.A${randomBase64Url(900)}`, issuedAt: now, lastUsedAt: now };
    this.refreshTokens.set(record.token, record);
    return record;
  }

  newSession(user: UserRef): string {
    const id = newGuid();
    this.sessions.set(id, { user, authTime: Math.floor(Date.now() / 1000) });
    return id;
  }

  /** Revokes the refresh tokens of a user (optionally only those of one client): AADSTS50173 afterwards. */
  revokeRefreshTokens(user: UserRef, clientId?: string): number {
    let count = 0;
    const now = new Date();
    for (const rt of this.refreshTokens.values()) {
      if (rt.user.tenantId === user.tenantId && rt.user.userId === user.userId && (!clientId || rt.clientId === clientId.toLowerCase()) && !rt.revokedAt) {
        rt.revokedAt = now;
        count++;
      }
    }
    return count;
  }

  /** Sign-out everywhere: the user's browser sessions end. */
  endSessions(user: UserRef): void {
    for (const [id, s] of this.sessions) if (s.user.tenantId === user.tenantId && s.user.userId === user.userId) this.sessions.delete(id);
  }
}
