import { AppError } from "@/lib/errors";
import { GrantUnavailableError, type MailboxAccessToken } from "@/lib/grants/get-access-token";
import { isFresh, type TokenPolicy } from "@/lib/grants/token-policy";
import type { Protocol, ProtocolUse } from "@/lib/microsoft/protocols";
import { normalizeAudience } from "@/lib/microsoft/scopes";
import type { ApiMailbox, ApiMailboxUse } from "@/lib/api/queries/api-mailbox";
import type { ApiCaller } from "@/lib/api/http/api-caller";
import { ApiProblem } from "@/lib/api/http/api-problem";

// The per-mailbox guard in front of the token engine (lib/grants):
//  - tokens in memory per mailbox + resource, handed out until 5 minutes before expiry (the engine's own
//    rule), so a cached token costs no database read and no decryption;
//  - one engine call per mailbox + resource at a time in this process: a storm of requests for a token that
//    needs refreshing waits for one call, which itself joins the engine's single refresh per grant;
//  - failures remembered: upstream_unavailable until the engine's retryAfterSeconds has passed (requests
//    meanwhile are answered 503 with the remaining Retry-After, and neither the database nor Microsoft is
//    asked), grant problems (needs_consent, …) for the cache refresh interval;
//  - a token the engine served only because a refresh failed (still valid, inside the 5-minute margin) is
//    reused for a few seconds, not until expiry, so the engine gets to try again when its backoff ends.
// Everything of a mailbox is dropped when the mailbox cache reports it changed (forgetMailbox).

export interface CachedToken {
  accessToken: string;
  expiresAt: number;
  /** Handed out until then; afterwards the engine is asked. */
  useUntil: number;
  audience: string;
  scopes: string[];
  /** Ready response bodies per protocol (IMAP and SMTP share a token, not a server). */
  bodies: Map<Protocol, Buffer>;
}

export type GetAccessToken = (mailboxId: string, use: ProtocolUse) => Promise<MailboxAccessToken>;
export type DescribeGrantProblem = (error: GrantUnavailableError, mailbox: ApiMailbox, caller: ApiCaller) => Promise<ApiProblem>;

export interface MailboxTokenSourceOptions {
  getAccessToken: GetAccessToken;
  describeGrantProblem: DescribeGrantProblem;
  policy: TokenPolicy;
  /** How long a grant problem (needs_consent, …) is answered from memory. */
  grantProblemMemoryMs: number;
  /** The engine said the mailbox does not exist. */
  onMailboxGone: (mailboxId: string) => void;
  clock?: () => number;
}

/** A token served while its refresh is failing: reused this long, then the engine is asked again. */
const DEGRADED_REUSE_MS = 5_000;
/** A token is never handed out with less than this left: the client needs time to use it. */
const MIN_REMAINING_MS = 30_000;

interface Failure {
  until: number;
  problem: ApiProblem;
}

export class MailboxTokenSource {
  private readonly tokens = new Map<string, Map<string, CachedToken>>();
  private readonly inflight = new Map<string, Promise<CachedToken>>();
  private readonly failures = new Map<string, Failure>();
  private readonly generations = new Map<string, number>();
  private readonly clock: () => number;

  constructor(private readonly options: MailboxTokenSourceOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** The caller is named in audit records of what its request caused (the first of those sharing a call). */
  get(mailbox: ApiMailbox, use: ApiMailboxUse, caller: ApiCaller): CachedToken | Promise<CachedToken> {
    const now = this.clock();
    const resource = normalizeAudience(use.resource);
    const cached = this.tokens.get(mailbox.id)?.get(resource);
    if (cached && cached.useUntil > now) return cached;
    const key = `${mailbox.id}|${resource}`;
    const failure = this.failures.get(key);
    if (failure) {
      if (failure.until > now) throw this.replay(failure, now);
      this.failures.delete(key);
    }
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetch(mailbox, use, resource, key, caller).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  forgetMailbox(mailboxId: string): void {
    this.generations.set(mailboxId, (this.generations.get(mailboxId) ?? 0) + 1);
    this.tokens.delete(mailboxId);
    for (const key of this.failures.keys()) if (key.startsWith(`${mailboxId}|`)) this.failures.delete(key);
  }

  /** Tokens held (mailbox + resource pairs). */
  size(): number {
    let n = 0;
    for (const m of this.tokens.values()) n += m.size;
    return n;
  }

  /** Drops expired tokens and failures; called with the cache refresh. */
  sweep(): void {
    const now = this.clock();
    for (const [id, byResource] of this.tokens) {
      for (const [r, t] of byResource) if (t.useUntil <= now) byResource.delete(r);
      if (byResource.size === 0) this.tokens.delete(id);
    }
    for (const [k, f] of this.failures) if (f.until <= now) this.failures.delete(k);
    // Generations only matter while a fetch runs; keep the map from growing with every mailbox ever seen.
    if (this.inflight.size === 0) this.generations.clear();
  }

  private async fetch(mailbox: ApiMailbox, use: ApiMailboxUse, resource: string, key: string, caller: ApiCaller): Promise<CachedToken> {
    const generation = this.generations.get(mailbox.id) ?? 0;
    let token: MailboxAccessToken;
    try {
      token = await this.options.getAccessToken(mailbox.id, use.use);
    } catch (error) {
      if (error instanceof GrantUnavailableError) {
        const problem = await this.options.describeGrantProblem(error, mailbox, caller);
        const now = this.clock();
        const until = error.code === "upstream_unavailable" ? now + (problem.retryAfterSeconds ?? 1) * 1000 : now + this.options.grantProblemMemoryMs;
        if ((this.generations.get(mailbox.id) ?? 0) === generation) this.failures.set(key, { until, problem });
        throw problem;
      }
      if (error instanceof AppError && error.code === "not_found") {
        this.options.onMailboxGone(mailbox.id);
        throw new ApiProblem("not_found", "No mailbox with that ID or address may be reached with this key.");
      }
      throw error;
    }
    const now = this.clock();
    const expiresAt = token.expiresAt.getTime();
    const useUntil = isFresh(token.expiresAt, new Date(now), this.options.policy)
      ? expiresAt - this.options.policy.refreshBeforeExpiryMs
      : Math.min(now + DEGRADED_REUSE_MS, expiresAt - MIN_REMAINING_MS);
    const entry: CachedToken = {
      accessToken: token.accessToken,
      expiresAt,
      useUntil,
      audience: token.claims.aud ?? token.resource,
      scopes: token.claims.scp ? token.claims.scp.split(" ").filter(Boolean) : token.claims.roles,
      bodies: new Map(),
    };
    if (useUntil > now && (this.generations.get(mailbox.id) ?? 0) === generation) {
      let byResource = this.tokens.get(mailbox.id);
      if (!byResource) this.tokens.set(mailbox.id, (byResource = new Map()));
      byResource.set(resource, entry);
    }
    return entry;
  }

  private replay(failure: Failure, now: number): ApiProblem {
    const p = failure.problem;
    if (p.code !== "upstream_unavailable") return p;
    return new ApiProblem(p.code, p.detail, p.extras, Math.max(1, Math.ceil((failure.until - now) / 1000)), p.headers);
  }
}
