import type { ApiKeyPolicy } from "@/lib/api-keys/api-key-policy";

// Key hash → key policy, in memory, so an authenticated request costs no database round trip.
//  - First sight of a hash: one lookup (concurrent first requests share it). Unknown hashes are remembered
//    too (bounded), so a client retrying a wrong key does not cost a query per request.
//  - refresh() (every API_CACHE_REFRESH_SECONDS) re-reads every policy held in one query per 500 keys and
//    forgets unknown hashes: a key revoked or changed on another instance is seen within one interval.
//  - invalidate() drops a hash at once (a revocation or creation on this instance).
// Expiry needs no refresh: the policy carries expiresAt and every request compares it with the clock.

export type LoadPolicies = (keyHashes: readonly string[]) => Promise<Map<string, ApiKeyPolicy>>;

interface Entry {
  policy: ApiKeyPolicy | null;
  lastUsedAt: number;
}

const MAX_UNKNOWN = 10_000;
const IDLE_EVICT_MS = 15 * 60_000;
const BATCH = 500;

export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<ApiKeyPolicy | null>>();
  private unknownCount = 0;
  /** Bumped by invalidate(): a lookup that started before a revocation must not store what it read. */
  private generation = 0;

  constructor(
    private readonly load: LoadPolicies,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached answer (policy, or null for a hash known to be unknown); undefined when not cached. */
  peek(keyHash: string): ApiKeyPolicy | null | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    entry.lastUsedAt = this.clock();
    return entry.policy;
  }

  get(keyHash: string): ApiKeyPolicy | null | Promise<ApiKeyPolicy | null> {
    const cached = this.peek(keyHash);
    if (cached !== undefined) return cached;
    let pending = this.loading.get(keyHash);
    if (!pending) {
      const generation = this.generation;
      pending = this.load([keyHash])
        .then((found) => {
          const policy = found.get(keyHash) ?? null;
          if (generation === this.generation) this.store(keyHash, policy);
          return policy;
        })
        .finally(() => this.loading.delete(keyHash));
      this.loading.set(keyHash, pending);
    }
    return pending;
  }

  invalidate(keyHash: string | null, keyId?: string): void {
    this.generation++;
    if (keyHash) this.delete(keyHash);
    if (keyId) for (const [hash, entry] of this.entries) if (entry.policy?.id === keyId) this.delete(hash);
  }

  async refresh(): Promise<void> {
    const now = this.clock();
    const known: string[] = [];
    for (const [hash, entry] of this.entries) {
      if (entry.policy === null || now - entry.lastUsedAt > IDLE_EVICT_MS) this.delete(hash);
      else known.push(hash);
    }
    for (let i = 0; i < known.length; i += BATCH) {
      const hashes = known.slice(i, i + BATCH);
      const found = await this.load(hashes);
      for (const hash of hashes) {
        const entry = this.entries.get(hash);
        if (!entry) continue; // invalidated meanwhile
        entry.policy = found.get(hash) ?? null; // deleted keys become unknown
        if (entry.policy === null) this.unknownCount++;
      }
    }
  }

  size(): number {
    return this.entries.size;
  }

  private store(keyHash: string, policy: ApiKeyPolicy | null): void {
    if (policy === null) {
      if (this.unknownCount >= MAX_UNKNOWN) return; // a flood of made-up keys: stop remembering, keep answering
      this.unknownCount++;
    }
    this.entries.set(keyHash, { policy, lastUsedAt: this.clock() });
  }

  private delete(keyHash: string): void {
    const entry = this.entries.get(keyHash);
    if (!entry) return;
    if (entry.policy === null) this.unknownCount--;
    this.entries.delete(keyHash);
  }
}
