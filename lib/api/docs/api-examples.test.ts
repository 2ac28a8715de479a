import { describe, expect, it } from "vitest";
import { apiExamples, EXAMPLE_MAILBOX } from "@/lib/api/docs/api-examples";
import { compileRoutes, matchRoute } from "@/lib/api/http/match-route";
import { apiRouteSpecs } from "@/lib/api/route-specs";

describe("the API page's examples", () => {
  const base = "https://mail-oauth.example.com";
  const examples = apiExamples(base);

  it("cover curl, Node imapflow, Python imaplib, Java Mail and .NET MailKit", () => {
    expect(examples.map((e) => e.id)).toEqual(["curl", "node-imapflow", "python-imaplib", "java-mail", "dotnet-mailkit"]);
  });

  it("use this installation's base URL and a token endpoint the server routes, as POST", () => {
    const routes = compileRoutes(apiRouteSpecs);
    for (const e of examples) {
      expect(e.code, e.id).toContain(base);
      expect(e.code, e.id).toMatch(/POST|PostAsync/);
      expect(e.code, e.id).toContain("/token?protocol=");
      expect(e.code).not.toMatch(/mop_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}/); // never a real-looking key
    }
    const curl = examples[0]!.code;
    const urls = [...curl.matchAll(/"(https:\/\/[^"]+)"/g)].map((m) => new URL(m[1]!));
    expect(urls.map((u) => matchRoute(routes, u.pathname.endsWith("/token") ? "POST" : "GET", u.pathname).kind)).toEqual(["match", "match"]);
    expect(urls[0]!.pathname).toBe(`/api/v1/mailboxes/${EXAMPLE_MAILBOX}/token`);
  });

  it("log in with XOAUTH2 using the answer's own fields", () => {
    const byId = Object.fromEntries(examples.map((e) => [e.id, e.code]));
    expect(byId["node-imapflow"]).toContain("accessToken: t.access_token");
    expect(byId["python-imaplib"]).toContain('authenticate("XOAUTH2"');
    expect(byId["java-mail"]).toContain('"mail.imap.auth.mechanisms", "XOAUTH2"');
    expect(byId["dotnet-mailkit"]).toContain("SaslMechanismOAuth2(t.sasl_user, t.access_token)");
  });
});
