import { describe, expect, it } from "vitest";
import { sanitizeAuditDetails } from "@/lib/audit/audit-details";

describe("audit details", () => {
  it("drops keys that name secrets and keeps field-name lists", () => {
    const clean = sanitizeAuditDetails({
      changedFields: ["clientSecret", "label"],
      clientSecret: "Abc8Q~realsecretvalue",
      password: "hunter2hunter2",
      refreshToken: "0.AAAA",
      role: "support",
    });
    expect(clean).toEqual({ changedFields: ["clientSecret", "label"], role: "support" });
  });

  it("masks secrets hidden in free text", () => {
    const clean = sanitizeAuditDetails({ note: "failed with Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig" });
    expect(String(clean.note)).not.toContain("eyJhbGciOiJSUzI1NiJ9");
  });
});
