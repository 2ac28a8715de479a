import { describe, expect, it } from "vitest";
import type { ApiMailbox } from "@/lib/api/queries/api-mailbox";
import { MailboxCache, type MailboxLoaders } from "@/lib/api/caches/mailbox-cache";

// The cache's bookkeeping with an in-memory table as its loader (the database behind it is exercised by
// the token API's integration tests).

const mailbox = (id: string, address: string, fingerprint = "1"): ApiMailbox => ({ id, address, tags: [], authMode: "delegated", uses: [], fingerprint });

function setup() {
  const table = new Map<string, ApiMailbox>([
    ["a", mailbox("a", "shared@contoso.com")],
    ["b", mailbox("b", "shared@contoso.com")],
    ["c", mailbox("c", "c@contoso.com")],
  ]);
  const queries: string[] = [];
  const loaders: MailboxLoaders = {
    byIds: async (ids) => (queries.push(`ids:${ids.join(",")}`), ids.map((id) => table.get(id)).filter((m): m is ApiMailbox => !!m)),
    byAddress: async (a) => (queries.push(`address:${a}`), [...table.values()].filter((m) => m.address === a)),
    byIdsOrAddresses: async (ids, addresses) => (queries.push("refresh"), [...table.values()].filter((m) => ids.includes(m.id) || addresses.includes(m.address))),
  };
  const changed: string[] = [];
  const cache = new MailboxCache(loaders, (id) => changed.push(id));
  return { table, queries, changed, cache };
}

describe("mailbox cache", () => {
  it("looks a reference up once, then answers from memory (also unknown ones, until the next re-read)", async () => {
    const { cache, queries } = setup();
    expect((await cache.resolve("SHARED@contoso.com")).map((m) => m.id)).toEqual(["a", "b"]);
    expect((await cache.resolve("a")).map((m) => m.id)).toEqual(["a"]);
    expect(await cache.resolve("nope")).toEqual([]);
    expect(cache.peek("shared@contoso.com")?.length).toBe(2);
    expect(cache.peek("nope")).toEqual([]);
    expect(queries).toEqual(["address:shared@contoso.com", "ids:nope"]);
    await cache.refresh();
    expect(cache.peek("nope")).toBeUndefined();
  });

  it("concurrent first requests share one lookup", async () => {
    const { cache, queries } = setup();
    await Promise.all(Array.from({ length: 50 }, () => cache.resolve("c")));
    expect(queries).toEqual(["ids:c"]);
  });

  it("the re-read reports changed and deleted mailboxes and follows address changes", async () => {
    const { cache, table, changed } = setup();
    await cache.resolve("shared@contoso.com");
    await cache.resolve("c");
    table.set("a", mailbox("a", "shared@contoso.com", "2")); // re-consented, say
    table.delete("b");
    table.set("c", mailbox("c", "renamed@contoso.com"));
    await cache.refresh();
    expect(changed.sort()).toEqual(["a", "b"]);
    expect(cache.peek("shared@contoso.com")?.map((m) => m.fingerprint)).toEqual(["2"]);
    expect(cache.peek("c")?.[0]?.address).toBe("renamed@contoso.com");
  });
});
