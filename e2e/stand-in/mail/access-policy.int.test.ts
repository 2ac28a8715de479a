// The login and Send As decisions on their own (no servers): which token may open which mailbox
// over which protocol, and which refusal text each case gets (reference §2, §3, §4).
import { describe, expect, it } from "vitest";
import { decideLogin, decodeSmtpLogin, encodeSmtpLogin, maySendAs, type Claims, type LoginAttempt } from "./access-policy";
import { addressesIn } from "./send-as-milter";
import { ALICE, ALICE_OID, APP_SP_OID, BOB, BOB_OID, CAROL, SHARED, fixtureMailboxes, mailboxLookup } from "./test-support/mailboxes";
import { appOnlyClaims, delegatedClaims } from "./test-support/test-tokens";

const lookup = mailboxLookup(fixtureMailboxes());
const ALL = "IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send";

function attempt(service: LoginAttempt["service"], mailbox: string, claims: Claims | null, mechanism = "XOAUTH2"): LoginAttempt {
  return { service, mechanism, mailbox, claims, nowMs: Date.now() };
}

describe("decideLogin", () => {
  it("grants the owner with the protocol's delegated scope", () => {
    const claims = delegatedClaims({ upn: ALICE, oid: ALICE_OID, scp: ALL });
    for (const service of ["imap", "pop3", "smtp"] as const) {
      expect(decideLogin(attempt(service, ALICE, claims), lookup).outcome).toBe("grant");
    }
  });

  it("matches UPNs and scopes case-insensitively", () => {
    const claims = delegatedClaims({ upn: "Alice@Contoso.TEST", oid: ALICE_OID, scp: "imap.accessasuser.all" });
    expect(decideLogin(attempt("imap", ALICE, claims), lookup).outcome).toBe("grant");
  });

  it("refuses each protocol without its own scope, with that protocol's text", () => {
    const imapOnly = delegatedClaims({ upn: ALICE, oid: ALICE_OID, scp: "IMAP.AccessAsUser.All" });
    expect(decideLogin(attempt("pop3", ALICE, imapOnly), lookup)).toMatchObject({
      outcome: "refuse",
      reply: "Authentication failure: unknown user name or bad password.",
      tokenProblem: true,
    });
    expect(decideLogin(attempt("smtp", ALICE, imapOnly), lookup)).toMatchObject({ outcome: "refuse", reply: "5.7.3 Authentication unsuccessful" });
  });

  it("requires https://outlook.office.com for delegated and https://outlook.office365.com for app-only tokens", () => {
    const delegatedWrongAud = delegatedClaims({ upn: ALICE, oid: ALICE_OID, scp: ALL, aud: "https://outlook.office365.com" });
    const appWrongAud = appOnlyClaims({ oid: APP_SP_OID, roles: ["IMAP.AccessAsApp"], aud: "https://outlook.office.com" });
    expect(decideLogin(attempt("imap", ALICE, delegatedWrongAud), lookup).outcome).toBe("refuse");
    expect(decideLogin(attempt("imap", ALICE, appWrongAud), lookup).outcome).toBe("refuse");
  });

  it("refuses expired and not-yet-valid tokens even if the verifier let them through", () => {
    const expired = delegatedClaims({ upn: ALICE, oid: ALICE_OID, scp: ALL, expiresIn: -1 });
    expect(decideLogin(attempt("imap", ALICE, expired), lookup)).toMatchObject({ outcome: "refuse", tokenProblem: true });
    const future = { ...delegatedClaims({ upn: ALICE, oid: ALICE_OID, scp: ALL }), nbf: Math.floor(Date.now() / 1000) + 600 };
    expect(decideLogin(attempt("imap", ALICE, future), lookup).outcome).toBe("refuse");
  });

  it("refuses a token the verifier rejected", () => {
    expect(decideLogin(attempt("imap", ALICE, null), lookup)).toMatchObject({ outcome: "refuse", tokenProblem: true });
  });

  it("treats passwords as basic authentication, which is disabled", () => {
    const claims = delegatedClaims({ upn: ALICE, oid: ALICE_OID, scp: ALL });
    expect(decideLogin(attempt("smtp", ALICE, claims, "LOGIN"), lookup)).toMatchObject({
      outcome: "refuse",
      reply: "5.7.139 Authentication unsuccessful, basic authentication is disabled.",
      tokenProblem: false,
    });
    expect(decideLogin(attempt("imap", ALICE, claims, "PLAIN"), lookup).outcome).toBe("refuse");
  });

  it("lets a delegate with FullAccess open a shared mailbox; others are authenticated but not connected (IMAP)", () => {
    const bob = delegatedClaims({ upn: BOB, oid: BOB_OID, scp: ALL });
    const alice = delegatedClaims({ upn: ALICE, oid: ALICE_OID, scp: ALL });
    expect(decideLogin(attempt("imap", SHARED, bob), lookup).outcome).toBe("grant");
    expect(decideLogin(attempt("imap", SHARED, alice), lookup).outcome).toBe("not-connected");
    expect(decideLogin(attempt("pop3", SHARED, alice), lookup)).toMatchObject({ outcome: "refuse", tokenProblem: false });
    expect(decideLogin(attempt("imap", "nobody@contoso.test", alice), lookup).outcome).toBe("not-connected");
  });

  it("lets an app open a mailbox only where its service principal has FullAccess", () => {
    const app = appOnlyClaims({ oid: APP_SP_OID, roles: ["IMAP.AccessAsApp", "SMTP.SendAsApp"] });
    expect(decideLogin(attempt("imap", ALICE, app), lookup)).toMatchObject({ outcome: "grant", principal: { kind: "app", objectId: APP_SP_OID } });
    expect(decideLogin(attempt("imap", BOB, app), lookup).outcome).toBe("not-connected");
    expect(decideLogin(attempt("pop3", ALICE, app), lookup).outcome).toBe("refuse");
  });

  it("applies the per-mailbox switches after the access check", () => {
    const carols = fixtureMailboxes();
    const carol = carols.find((m) => m.address === CAROL);
    if (carol === undefined) throw new Error("fixture");
    carol.switches = { imapDisabled: true, popDisabled: true, smtpAuthDisabled: true };
    const claims = delegatedClaims({ upn: CAROL, oid: "c", scp: ALL });
    const live = mailboxLookup(carols);
    expect(decideLogin(attempt("imap", CAROL, claims), live)).toMatchObject({ outcome: "refuse", reply: "[AUTHENTICATIONFAILED] AUTHENTICATE failed." });
    expect(decideLogin(attempt("pop3", CAROL, claims), live)).toMatchObject({ outcome: "refuse" });
    expect(decideLogin(attempt("smtp", CAROL, claims), live)).toMatchObject({
      outcome: "refuse",
      reply: expect.stringMatching(/^5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox\./),
    });
  });
});

describe("maySendAs", () => {
  it("allows the authenticated mailbox itself, and SendAs granted to the mailbox or the principal", () => {
    expect(maySendAs(ALICE, ALICE, null, lookup)).toBe(true);
    expect(maySendAs(SHARED, ALICE, { kind: "user", upn: ALICE, objectId: ALICE_OID }, lookup)).toBe(false);
    expect(maySendAs(SHARED, BOB, { kind: "user", upn: BOB, objectId: BOB_OID }, lookup)).toBe(true);
    expect(maySendAs("outside@fabrikam.test", ALICE, null, lookup)).toBe(false);
  });

  it("carries the principal through the SMTP login name", () => {
    const login = encodeSmtpLogin(ALICE, { kind: "app", objectId: APP_SP_OID });
    expect(decodeSmtpLogin(login)).toEqual({ mailbox: ALICE, principal: { kind: "app", objectId: APP_SP_OID } });
    expect(decodeSmtpLogin(encodeSmtpLogin(SHARED, { kind: "user", upn: BOB, objectId: undefined }))).toEqual({
      mailbox: SHARED,
      principal: { kind: "user", upn: BOB, objectId: undefined },
    });
    expect(decodeSmtpLogin(ALICE)).toEqual({ mailbox: ALICE, principal: null });
  });

  it("reads the addresses out of From headers", () => {
    expect(addressesIn('"Doe, Jane" <jane@x.test>, bob@y.test')).toEqual(["jane@x.test", "bob@y.test"]);
    expect(addressesIn("bob@y.test, carol@z.test")).toEqual(["bob@y.test", "carol@z.test"]);
    expect(addressesIn("Alice <alice@x.test>")).toEqual(["alice@x.test"]);
  });
});
