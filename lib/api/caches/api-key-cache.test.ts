import { describe, expect, it } from "vitest";
import type { ApiKeyPolicy } from "@/lib/api-keys/api-key-policy";
import { ApiKeyCache } from "@/lib/api/caches/api-key-cache";

const policy = (id: string, revokedAt: number | null = null): ApiKeyPolicy => ({
  id,
  name: id,
  prefix: `mop_${id}`,
  scopes: new Set(["token:read"]),
  mailboxScope: "all",
  mailboxIds: new Set(),
  mailboxTag: null,
  rateLimitPerMinute: null,
  expiresAt: null,
  revokedAt,
});

describe("API key cache", () => {
  it("one lookup per hash; the re-read picks up a revocation made elsewhere", async () => {
    const table = new Map([["h1", policy("k1")]]);
    let lookups = 0;
    const cache = new ApiKeyCache(async (hashes) => (lookups++, new Map(hashes.flatMap((h) => (table.has(h) ? [[h, table.get(h)!] as const] : [])))));
    await Promise.all([cache.get("h1"), cache.get("h1"), cache.get("h1")]);
    expect(await cache.get("unknown")).toBeNull();
    expect(cache.peek("h1")?.revokedAt).toBeNull();
    expect(lookups).toBe(2);
    table.set("h1", policy("k1", 123));
    await cache.refresh();
    expect(cache.peek("h1")?.revokedAt).toBe(123);
    expect(cache.peek("unknown")).toBeUndefined(); // unknown ones are asked again after a re-read
  });

  it("a lookup that started before an invalidation does not store what it read", async () => {
    let release: (v: Map<string, ApiKeyPolicy>) => void = () => undefined;
    const cache = new ApiKeyCache(() => new Promise((resolve) => (release = resolve)));
    const pending = cache.get("h1");
    cache.invalidate("h1", "k1");
    release(new Map([["h1", policy("k1")]]));
    expect(await pending).toMatchObject({ id: "k1" });
    expect(cache.peek("h1")).toBeUndefined();
  });
});
