import { describe, expect, it } from "vitest";
import { decodeJwtClaims, displayClaimsOf } from "@/lib/microsoft/decode-jwt-claims";

const jwt = (payload: unknown): string =>
  [Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT" })).toString("base64url"), Buffer.from(JSON.stringify(payload)).toString("base64url"), "c2lnbmF0dXJl"].join(".");

describe("decodeJwtClaims", () => {
  it("reads the payload of a JWS", () => {
    expect(decodeJwtClaims(jwt({ aud: "https://outlook.office.com", scp: "IMAP.AccessAsUser.All", exp: 1 }))).toEqual({ aud: "https://outlook.office.com", scp: "IMAP.AccessAsUser.All", exp: 1 });
  });
  it("returns null for opaque (personal-account) tokens, JWE, garbage and non-object payloads", () => {
    expect(decodeJwtClaims("EwBwA8l6BAAU7p9QDpi")).toBeNull();
    expect(decodeJwtClaims("a.b.c.d.e")).toBeNull();
    expect(decodeJwtClaims("x.%%%.y")).toBeNull();
    expect(decodeJwtClaims(jwt([1, 2]))).toBeNull();
    expect(decodeJwtClaims(jwt("text"))).toBeNull();
  });
  it("display claims: known fields only, upn from unique_name or preferred_username", () => {
    const claims = { aud: "a", roles: ["IMAP.AccessAsApp", 3], unique_name: "u@contoso.com", exp: 5, secret: "x", azp: "client" };
    expect(displayClaimsOf(claims)).toEqual({ aud: "a", roles: ["IMAP.AccessAsApp"], upn: "u@contoso.com", exp: 5, appid: "client" });
  });
});
