import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey, prefixOfApiKey, randomBase62, sameHash } from "@/lib/api-keys/api-key-format";

describe("API key format", () => {
  it("is mop_<8 base62>_<43 base62>: at least 256 bits of randomness in the secret part", () => {
    const { key, prefix, keyHash } = generateApiKey();
    expect(key).toMatch(/^mop_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}$/);
    expect(43 * Math.log2(62)).toBeGreaterThanOrEqual(256);
    expect(key.startsWith(`${prefix}_`)).toBe(true);
    expect(keyHash).toBe(hashApiKey(key));
    expect(keyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("draws every base62 character about equally often (no modulo bias)", () => {
    const counts = new Map<string, number>();
    for (const c of randomBase62(62_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(200);
  });

  it("reads the prefix only from a well-formed key", () => {
    const { key, prefix } = generateApiKey();
    expect(prefixOfApiKey(key)).toBe(prefix);
    for (const bad of ["", "mop_", `${key}x`, key.replace("mop_", "mox_"), key.slice(0, -1), `Bearer ${key}`]) expect(prefixOfApiKey(bad)).toBeNull();
  });

  it("compares hashes in constant time and only when equal", () => {
    const a = hashApiKey("a");
    expect(sameHash(a, hashApiKey("a"))).toBe(true);
    expect(sameHash(a, hashApiKey("b"))).toBe(false);
    expect(sameHash(a, "00")).toBe(false);
  });
});
