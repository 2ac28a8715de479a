import { describe, expect, it } from "vitest";
import { buildXoauth2InitialResponse, decodeXoauth2ErrorChallenge, describeXoauth2ErrorChallenge } from "./xoauth2";

describe("buildXoauth2InitialResponse", () => {
  it("is base64 of user=…\\x01auth=Bearer …\\x01\\x01 (reference §3)", () => {
    const blob = buildXoauth2InitialResponse("adele.vance@contoso.com", "eyJ0eXAi.abc.def");
    expect(Buffer.from(blob, "base64").toString("utf8")).toBe("user=adele.vance@contoso.com\x01auth=Bearer eyJ0eXAi.abc.def\x01\x01");
  });

  it("matches Microsoft's published example (X1)", () => {
    expect(buildXoauth2InitialResponse("test@contoso.onmicrosoft.com", "EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA")).toBe(
      "dXNlcj10ZXN0QGNvbnRvc28ub25taWNyb3NvZnQuY29tAWF1dGg9QmVhcmVyIEV3QkFBbDNCQUFVRkZwVUFvN0ozVmUwYmpMQldaV0NjbFJDM0VvQUEBAQ==",
    );
  });

  it("matches Google's published example (W6)", () => {
    expect(buildXoauth2InitialResponse("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg")).toBe(
      "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==",
    );
  });

  it("keeps a non-ASCII address as UTF-8", () => {
    const blob = buildXoauth2InitialResponse("jürgen@contoso.com", "t0ken-value");
    expect(Buffer.from(blob, "base64").toString("utf8")).toBe("user=jürgen@contoso.com\x01auth=Bearer t0ken-value\x01\x01");
  });

  it("refuses values that could inject another SASL field, and never echoes the token in the error", () => {
    expect(() => buildXoauth2InitialResponse("a@b.c\x01auth=Bearer x", "tok")).toThrow(TypeError);
    expect(() => buildXoauth2InitialResponse("a@b.c", "secret-tok\x01more")).toThrow(/whitespace or control/);
    expect(() => buildXoauth2InitialResponse("a@b.c", "secret-tok\x01more")).not.toThrow(/secret-tok/);
    expect(() => buildXoauth2InitialResponse("", "tok")).toThrow(TypeError);
    expect(() => buildXoauth2InitialResponse("a@b.c", "")).toThrow(TypeError);
  });
});

describe("decodeXoauth2ErrorChallenge", () => {
  it("reads Dovecot's / Google's base64 JSON challenge", () => {
    const b64 = Buffer.from('{"status":"401","schemes":"bearer","scope":"mail"}').toString("base64");
    const challenge = decodeXoauth2ErrorChallenge(b64);
    expect(challenge).toEqual({ status: "401", schemes: "bearer", scope: "mail" });
    expect(describeXoauth2ErrorChallenge(challenge!)).toBe("XOAUTH2 error challenge (status 401, schemes bearer, scope mail)");
  });

  it("returns undefined for anything that is not base64 JSON", () => {
    expect(decodeXoauth2ErrorChallenge("")).toBeUndefined();
    expect(decodeXoauth2ErrorChallenge("not base64!")).toBeUndefined();
    expect(decodeXoauth2ErrorChallenge(Buffer.from("plain text").toString("base64"))).toBeUndefined();
    expect(decodeXoauth2ErrorChallenge(Buffer.from("[1,2]").toString("base64"))).toBeUndefined();
  });
});
