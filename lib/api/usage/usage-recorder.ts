import { logWarn } from "@/lib/log";
import type { ApiDenial, IssuanceIncrement } from "@/lib/api-keys/record-api-usage";

// What the token API records, without a write on the request path: issuances counted in memory per key,
// mailbox and UTC day; each key's last use; denials grouped by who, why and what. flush() (every
// API_USAGE_FLUSH_SECONDS and at shutdown) writes them in batches. A failed write keeps the counts for
// the next flush. lastUsedAt is written at most once a minute per key. Nothing here holds a token or a key.

export interface UsageWriters {
  addIssuanceCounts(rows: readonly IssuanceIncrement[]): Promise<void>;
  touchApiKeysLastUsed(uses: ReadonlyMap<string, Date>): Promise<void>;
  recordApiDenials(denials: readonly ApiDenial[]): Promise<void>;
}

export type DenialInput = Omit<ApiDenial, "count" | "firstAt" | "lastAt">;

const LAST_USED_INTERVAL_MS = 60_000;
const MAX_DENIAL_GROUPS = 1_000;
/** Counts that failed this many flushes in a row are dropped (logged): a broken row must not grow memory forever. */
const MAX_FAILED_FLUSHES = 10;

export class UsageRecorder {
  private issuances = new Map<string, IssuanceIncrement>();
  private denials = new Map<string, ApiDenial>();
  private readonly lastUse = new Map<string, number>();
  private readonly lastUseWritten = new Map<string, number>();
  private day = "";
  private dayEndsAt = 0;
  private flushing: Promise<void> | null = null;
  private failedFlushes = 0;

  constructor(
    private readonly writers: UsageWriters,
    private readonly clock: () => number = Date.now,
  ) {}

  countIssuance(apiKeyId: string, mailboxId: string): void {
    const now = this.clock();
    if (now >= this.dayEndsAt) {
      this.day = new Date(now).toISOString().slice(0, 10);
      this.dayEndsAt = Date.parse(`${this.day}T00:00:00.000Z`) + 86_400_000;
    }
    const key = `${apiKeyId}|${mailboxId}|${this.day}`;
    const row = this.issuances.get(key);
    if (row) {
      row.count++;
      row.lastAt = new Date(now);
    } else this.issuances.set(key, { apiKeyId, mailboxId, day: this.day, count: 1, lastAt: new Date(now) });
  }

  noteKeyUse(apiKeyId: string): void {
    this.lastUse.set(apiKeyId, this.clock());
  }

  recordDenial(denial: DenialInput): void {
    const now = new Date(this.clock());
    const key = `${denial.actorLabel}|${denial.reason}|${denial.operation}|${denial.target ?? ""}|${denial.ip ?? ""}`;
    const existing = this.denials.get(key);
    if (existing) {
      existing.count++;
      existing.lastAt = now;
      return;
    }
    if (this.denials.size >= MAX_DENIAL_GROUPS) {
      // A flood of distinct denials: the rest are counted in one group rather than growing memory.
      const overflow = "overflow";
      const o = this.denials.get(overflow);
      if (o) {
        o.count++;
        o.lastAt = now;
      } else this.denials.set(overflow, { actorLabel: "anonymous", apiKeyId: null, reason: "many_distinct_denials", operation: "*", target: null, ip: null, userAgent: null, count: 1, firstAt: now, lastAt: now });
      return;
    }
    this.denials.set(key, { ...denial, count: 1, firstAt: now, lastAt: now });
  }

  /**
   * Writes what was recorded since the last flush; a flush already running is waited for first.
   * `final` (shutdown) also writes last-use times younger than a minute.
   */
  async flush(options: { final?: boolean } = {}): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.writeAll(options.final === true).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async writeAll(final: boolean): Promise<void> {
    const issuances = [...this.issuances.values()];
    this.issuances = new Map();
    try {
      await this.writers.addIssuanceCounts(issuances);
      this.failedFlushes = 0;
    } catch (error) {
      this.failedFlushes++;
      if (this.failedFlushes >= MAX_FAILED_FLUSHES) logWarn(`Dropped ${issuances.length} token issuance count(s) after ${MAX_FAILED_FLUSHES} failed writes.`, error);
      else {
        logWarn(`Could not write ${issuances.length} token issuance count(s); kept for the next attempt.`, error);
        for (const r of issuances) this.merge(r);
      }
    }

    const now = this.clock();
    const due = new Map<string, Date>();
    for (const [id, at] of this.lastUse) {
      const written = this.lastUseWritten.get(id) ?? 0;
      if (at > written && (final || now - written >= LAST_USED_INTERVAL_MS)) due.set(id, new Date(at));
    }
    try {
      await this.writers.touchApiKeysLastUsed(due);
      for (const [id, at] of due) {
        this.lastUseWritten.set(id, at.getTime());
        this.lastUse.delete(id);
      }
    } catch (error) {
      logWarn("Could not record when API keys were last used.", error);
    }
    if (this.lastUseWritten.size > 100_000) this.lastUseWritten.clear();

    const denials = [...this.denials.values()];
    this.denials = new Map();
    try {
      await this.writers.recordApiDenials(denials);
    } catch (error) {
      logWarn(`Could not record ${denials.length} API denial(s) in the audit log.`, error);
    }
  }

  private merge(r: IssuanceIncrement): void {
    const key = `${r.apiKeyId}|${r.mailboxId}|${r.day}`;
    const existing = this.issuances.get(key);
    if (existing) {
      existing.count += r.count;
      if (r.lastAt > existing.lastAt) existing.lastAt = r.lastAt;
    } else this.issuances.set(key, r);
  }
}
