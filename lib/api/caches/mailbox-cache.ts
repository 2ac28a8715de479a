import type { ApiMailbox } from "@/lib/api/queries/api-mailbox";

// Mailbox ID or address → the mailboxes the token API serves, in memory (lib/api/queries/api-mailbox.ts).
//  - First sight of an ID or address: one query (shared by concurrent requests). Unknown ones are
//    remembered until the next refresh (bounded), so a wrong reference repeated costs no query each time.
//  - refresh() (every API_CACHE_REFRESH_SECONDS) re-reads every mailbox and address held, in one query per
//    500, and reports each mailbox whose fingerprint changed or that is gone (onChange): its cached tokens
//    and failures are dropped, so a disconnect, re-consent or settings change is seen within one interval.

export interface MailboxLoaders {
  byIds(ids: readonly string[]): Promise<ApiMailbox[]>;
  byAddress(address: string): Promise<ApiMailbox[]>;
  byIdsOrAddresses(ids: readonly string[], addresses: readonly string[]): Promise<ApiMailbox[]>;
}

const MAX_UNKNOWN = 10_000;
const IDLE_EVICT_MS = 15 * 60_000;
const BATCH = 500;

export class MailboxCache {
  private readonly byId = new Map<string, { mailbox: ApiMailbox; lastUsedAt: number }>();
  private readonly byAddress = new Map<string, { ids: string[]; lastUsedAt: number }>();
  private readonly unknownIds = new Set<string>();
  private readonly loading = new Map<string, Promise<ApiMailbox[]>>();

  constructor(
    private readonly loaders: MailboxLoaders,
    private readonly onChange: (mailboxId: string) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The mailboxes a reference names (empty: none), or undefined when it must be looked up. */
  peek(ref: string): ApiMailbox[] | undefined {
    const now = this.clock();
    if (ref.includes("@")) {
      const entry = this.byAddress.get(ref.toLowerCase());
      if (!entry) return undefined;
      entry.lastUsedAt = now;
      const found: ApiMailbox[] = [];
      for (const id of entry.ids) {
        const m = this.byId.get(id);
        if (!m) return undefined; // evicted meanwhile: look it up again
        m.lastUsedAt = now;
        found.push(m.mailbox);
      }
      return found;
    }
    const entry = this.byId.get(ref);
    if (entry) {
      entry.lastUsedAt = now;
      return [entry.mailbox];
    }
    return this.unknownIds.has(ref) ? [] : undefined;
  }

  resolve(ref: string): ApiMailbox[] | Promise<ApiMailbox[]> {
    const cached = this.peek(ref);
    if (cached) return cached;
    const key = ref.includes("@") ? ref.toLowerCase() : ref;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.lookup(key).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  /** Forget a mailbox now (the token engine said it no longer exists). */
  forget(mailboxId: string): void {
    if (this.byId.delete(mailboxId)) this.onChange(mailboxId);
  }

  async refresh(): Promise<void> {
    const now = this.clock();
    this.unknownIds.clear();
    for (const [id, e] of this.byId) if (now - e.lastUsedAt > IDLE_EVICT_MS) this.byId.delete(id);
    for (const [a, e] of this.byAddress) if (now - e.lastUsedAt > IDLE_EVICT_MS) this.byAddress.delete(a);
    const ids = [...this.byId.keys()];
    const addresses = [...this.byAddress.keys()];
    const seen = new Set<string>();
    const idsOfAddress = new Map<string, string[]>(addresses.map((a) => [a, []]));
    for (let i = 0; i < Math.max(ids.length, addresses.length); i += BATCH) {
      const rows = await this.loaders.byIdsOrAddresses(ids.slice(i, i + BATCH), addresses.slice(i, i + BATCH));
      for (const m of rows) {
        if (seen.has(m.id)) continue;
        seen.add(m.id);
        this.put(m, now);
        idsOfAddress.get(m.address)?.push(m.id);
      }
    }
    for (const id of ids) if (!seen.has(id) && this.byId.delete(id)) this.onChange(id);
    for (const [address, found] of idsOfAddress) {
      const entry = this.byAddress.get(address);
      if (entry) entry.ids = found.filter((id) => this.byId.has(id));
    }
  }

  size(): number {
    return this.byId.size;
  }

  private async lookup(key: string): Promise<ApiMailbox[]> {
    const now = this.clock();
    if (key.includes("@")) {
      const found = await this.loaders.byAddress(key);
      for (const m of found) this.put(m, now);
      this.byAddress.set(key, { ids: found.map((m) => m.id), lastUsedAt: now });
      return found;
    }
    const found = await this.loaders.byIds([key]);
    for (const m of found) this.put(m, now);
    if (found.length === 0 && this.unknownIds.size < MAX_UNKNOWN) this.unknownIds.add(key);
    return found;
  }

  private put(mailbox: ApiMailbox, now: number): void {
    const previous = this.byId.get(mailbox.id);
    this.byId.set(mailbox.id, { mailbox, lastUsedAt: previous?.lastUsedAt ?? now });
    if (previous && previous.mailbox.fingerprint !== mailbox.fingerprint) this.onChange(mailbox.id);
  }
}
