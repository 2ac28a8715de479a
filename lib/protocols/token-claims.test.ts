import { describe, expect, it } from "vitest";
import { diagnoseTokenRefusal, type RefusalContext } from "./diagnose-token-refusal";
import { audienceResource, readAccessTokenClaims } from "./token-claims";

function jwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ typ: "JWT", alg: "RS256" })}.${enc(claims)}.c2ln`;
}
const now = Math.floor(Date.now() / 1000);
const adele = "adele.vance@contoso.com";

describe("readAccessTokenClaims", () => {
  it("reads aud, scp, roles, exp and the user of a v1 token", () => {
    const c = readAccessTokenClaims(jwt({ aud: "https://outlook.office.com", scp: "IMAP.AccessAsUser.All SMTP.Send", exp: now + 60, upn: "Adele.Vance@contoso.com", oid: "o", tid: "t", appid: "a" }));
    expect(c).toMatchObject({ aud: "https://outlook.office.com", scopes: ["IMAP.AccessAsUser.All", "SMTP.Send"], roles: [], user: adele, oid: "o", tid: "t", appId: "a" });
  });

  it("returns undefined for opaque tokens and garbage", () => {
    expect(readAccessTokenClaims("EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA")).toBeUndefined();
    expect(readAccessTokenClaims("a.b.c")).toBeUndefined();
    expect(readAccessTokenClaims(`x.${Buffer.from("[1]").toString("base64url")}.y`)).toBeUndefined();
  });
});

describe("audienceResource", () => {
  it("tells Exchange from Graph across clouds", () => {
    for (const aud of ["https://outlook.office.com", "https://outlook.office365.com/", "https://outlook.office365.us", "https://partner.outlook.cn", "00000002-0000-0ff1-ce00-000000000000"]) expect(audienceResource(aud)).toBe("exchange");
    for (const aud of ["https://graph.microsoft.com", "https://graph.microsoft.us", "https://microsoftgraph.chinacloudapi.cn", "00000003-0000-0000-c000-000000000000"]) expect(audienceResource(aud)).toBe("graph");
    expect(audienceResource("api://something")).toBe("other");
    expect(audienceResource(undefined)).toBeUndefined();
  });
});

describe("diagnoseTokenRefusal (a generic refusal told apart by the token)", () => {
  const base: Omit<RefusalContext, "accessToken"> = {
    protocol: "imap",
    direction: "inbound",
    mailbox: adele,
    authMode: "delegated",
    whenOwnTokenLooksRight: "protocol_disabled",
    whenDelegateTokenLooksRight: "not_connected",
    ownTokenNote: "own",
    delegateTokenNote: "delegate",
  };
  const good = { aud: "https://outlook.office.com", scp: "IMAP.AccessAsUser.All", exp: now + 600, upn: adele };

  it("wrong audience", () => {
    expect(diagnoseTokenRefusal({ ...base, accessToken: jwt({ ...good, aud: "https://graph.microsoft.com", scp: "Mail.Read" }) }).errorClass).toBe("wrong_audience");
  });
  it("expired", () => {
    const v = diagnoseTokenRefusal({ ...base, accessToken: jwt({ ...good, exp: now - 60 }) });
    expect(v.errorClass).toBe("auth_failed");
    expect(v.diagnosis).toMatch(/expired/);
  });
  it("permission missing", () => {
    const v = diagnoseTokenRefusal({ ...base, accessToken: jwt({ ...good, scp: "SMTP.Send" }) });
    expect(v.errorClass).toBe("missing_permission");
    expect(v.diagnosis).toContain("IMAP.AccessAsUser.All");
  });
  it("another user's token", () => {
    const v = diagnoseTokenRefusal({ ...base, accessToken: jwt({ ...good, upn: "megan.bowen@contoso.com" }) });
    expect(v.errorClass).toBe("not_connected");
    expect(v.diagnosis).toContain("megan.bowen@contoso.com");
  });
  it("app-only token that looks right", () => {
    const v = diagnoseTokenRefusal({ ...base, authMode: "app_only", accessToken: jwt({ aud: "https://outlook.office365.com", roles: ["IMAP.AccessAsApp"], idtyp: "app", exp: now + 600 }) });
    expect(v.errorClass).toBe("not_connected");
  });
  it("own token that looks right: the protocol's likeliest cause", () => {
    expect(diagnoseTokenRefusal({ ...base, accessToken: jwt(good) }).errorClass).toBe("protocol_disabled");
  });
  it("an opaque token cannot be diagnosed", () => {
    expect(diagnoseTokenRefusal({ ...base, accessToken: "opaque-token-value" }).errorClass).toBe("auth_failed");
  });
  it("never repeats the token", () => {
    const token = jwt({ ...good, scp: "SMTP.Send" });
    expect(diagnoseTokenRefusal({ ...base, accessToken: token }).diagnosis).not.toContain(token);
  });
});
