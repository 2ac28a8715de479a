import { describe, expect, it } from "vitest";
import { keyRefusal, mayReachMailbox, parseMailboxScope, type ApiKeyPolicy } from "@/lib/api-keys/api-key-policy";

const policy = (p: Partial<ApiKeyPolicy>): ApiKeyPolicy => ({
  id: "k",
  name: "k",
  prefix: "mop_AAAAAAAA",
  scopes: new Set(["token:read"]),
  mailboxScope: "all",
  mailboxIds: new Set(),
  mailboxTag: null,
  rateLimitPerMinute: null,
  expiresAt: null,
  revokedAt: null,
  ...p,
});

describe("API key policy", () => {
  it("reach: all, chosen IDs, or a tag", () => {
    const a = { id: "a", tags: ["helpdesk"] };
    const b = { id: "b", tags: ["sales"] };
    expect([a, b].map((m) => mayReachMailbox(policy({}), m))).toEqual([true, true]);
    expect([a, b].map((m) => mayReachMailbox(policy({ mailboxScope: "chosen", mailboxIds: new Set(["a"]) }), m))).toEqual([true, false]);
    expect([a, b].map((m) => mayReachMailbox(policy({ mailboxScope: "tag", mailboxTag: "sales" }), m))).toEqual([false, true]);
    expect(mayReachMailbox(policy({ mailboxScope: "tag", mailboxTag: null }), a)).toBe(false);
  });

  it("an unknown stored scope reaches nothing rather than everything", () => {
    expect(parseMailboxScope("everything")).toBe("chosen");
    expect(parseMailboxScope("all")).toBe("all");
  });

  it("revoked and expired keys are refused; expiry is exact to the millisecond", () => {
    expect(keyRefusal(policy({}), 1000)).toBeNull();
    expect(keyRefusal(policy({ revokedAt: 5 }), 1000)).toBe("revoked");
    expect(keyRefusal(policy({ expiresAt: 1000 }), 999)).toBeNull();
    expect(keyRefusal(policy({ expiresAt: 1000 }), 1000)).toBe("expired");
  });
});
