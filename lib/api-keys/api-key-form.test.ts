import { describe, expect, it } from "vitest";
import { apiKeyFormSchema } from "@/lib/api-keys/api-key-form";

const base = { name: "Poller", scopes: ["token:read"], mailboxScope: "all" };

describe("the new API key form", () => {
  it("reads chosen mailboxes one per line (or comma-separated), lower-cased, without duplicates", () => {
    const parsed = apiKeyFormSchema.parse({ ...base, mailboxScope: "chosen", mailboxes: "A@contoso.com\n b@contoso.com, a@contoso.com" });
    expect(parsed.mailboxRefs).toEqual(["a@contoso.com", "b@contoso.com"]);
  });

  it("ignores mailboxes and tag unless their scope is chosen", () => {
    expect(apiKeyFormSchema.parse({ ...base, mailboxes: "a@contoso.com", mailboxTag: "x" })).toMatchObject({ mailboxRefs: [], mailboxTag: null });
    expect(apiKeyFormSchema.parse({ ...base, mailboxScope: "tag", mailboxTag: "HelpDesk" })).toMatchObject({ mailboxTag: "helpdesk" });
  });

  it("an expiry date means valid through that UTC day", () => {
    expect(apiKeyFormSchema.parse({ ...base, expiresOn: "2099-03-01" }).expiresAt?.toISOString()).toBe("2099-03-02T00:00:00.000Z");
    expect(apiKeyFormSchema.safeParse({ ...base, expiresOn: "01/03/2099" }).success).toBe(false);
  });

  it("a rate limit is a whole number from 1 to 1,000,000, or the default", () => {
    expect(apiKeyFormSchema.parse({ ...base, rateLimitPerMinute: "" }).rateLimitPerMinute).toBeNull();
    expect(apiKeyFormSchema.parse({ ...base, rateLimitPerMinute: "120" }).rateLimitPerMinute).toBe(120);
    for (const bad of ["0", "1.5", "-3", "1000001", "lots"]) expect(apiKeyFormSchema.safeParse({ ...base, rateLimitPerMinute: bad }).success).toBe(false);
  });

  it("refuses unknown scopes", () => {
    expect(apiKeyFormSchema.safeParse({ ...base, scopes: ["admin:all"] }).success).toBe(false);
  });
});
