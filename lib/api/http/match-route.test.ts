import { describe, expect, it } from "vitest";
import { compileRoutes, matchRoute } from "@/lib/api/http/match-route";

const routes = compileRoutes([
  { method: "POST", path: "/api/v1/mailboxes/{mailbox}/token" },
  { method: "GET", path: "/api/v1/mailboxes/{mailbox}/health" },
  { method: "GET", path: "/api/v1/mailboxes" },
]);

describe("route matching", () => {
  it("matches templates and decodes parameters after splitting", () => {
    expect(matchRoute(routes, "POST", "/api/v1/mailboxes/adele%40contoso.com/token")).toMatchObject({ kind: "match", params: { mailbox: "adele@contoso.com" } });
    expect(matchRoute(routes, "POST", "/api/v1/mailboxes/a%2Fb/token")).toMatchObject({ kind: "match", params: { mailbox: "a/b" } });
    expect(matchRoute(routes, "GET", "/api/v1/mailboxes/")).toMatchObject({ kind: "match" });
  });

  it("says which methods a path allows, and nothing for unknown paths or bad encodings", () => {
    expect(matchRoute(routes, "GET", "/api/v1/mailboxes/x/token")).toEqual({ kind: "wrong_method", allowed: ["POST"] });
    expect(matchRoute(routes, "GET", "/api/v1/mailboxes/x/y/token")).toEqual({ kind: "none" });
    expect(matchRoute(routes, "POST", "/api/v1/mailboxes/%E0%A4%A/token")).toEqual({ kind: "none" });
    expect(matchRoute(routes, "POST", "/api/v1/mailboxes//token")).toEqual({ kind: "none" });
  });
});
