// Real Dovecot and Postfix, driven by real clients (imapflow, nodemailer, raw POP3/IMAP/SMTP
// lines), must accept and refuse XOAUTH2 the way Exchange Online does (reference §1.3, §3).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";
import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailboxPolicy } from "./contract";
import { isAlive, processTree } from "./processes";
import { startMailServers, stopMailServersInStateDir, type MailServers } from "./start-mail-servers";
import { LineClient } from "./test-support/line-client";
import {
  ALICE,
  ALICE_OID,
  APP_SP_OID,
  BOB,
  BOB_OID,
  CAROL,
  CAROL_OID,
  OTHER_APP_SP_OID,
  SHARED,
  fixtureMailboxes,
  mailboxLookup,
} from "./test-support/mailboxes";
import { createTestTls, type TestTls } from "./test-support/test-tls";
import { appOnlyClaims, createTokenIssuer, delegatedClaims, signJwt, xoauth2, type TokenIssuer } from "./test-support/test-tokens";
import crypto from "node:crypto";

const ALL_SCOPES = "IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send";
const IMAP_REFUSED = "A1 NO [AUTHENTICATIONFAILED] AUTHENTICATE failed.";
const POP3_REFUSED = "-ERR [AUTH] Authentication failure: unknown user name or bad password.";
const SMTP_REFUSED = "535 5.7.8 Error: authentication failed: 5.7.3 Authentication unsuccessful";
const SMTP_AUTH_DISABLED =
  "535 5.7.8 Error: authentication failed: 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled " +
  "for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.";
const NOT_CONNECTED = "BAD User is authenticated but not connected.";

let root: string;
let tlsFiles: TestTls;
let issuer: TokenIssuer;
let mailboxes: MailboxPolicy[];
let servers: MailServers;
let startMs: number;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "mail-it-"));
  tlsFiles = createTestTls(path.join(root, "tls"));
  issuer = createTokenIssuer();
  mailboxes = fixtureMailboxes();
  const started = performance.now();
  servers = await startMailServers({
    stateDir: path.join(root, "one"),
    tls: { certPath: tlsFiles.certPath, keyPath: tlsFiles.keyPath },
    mailboxes,
    verifyAccessToken: issuer.verify,
    getMailbox: mailboxLookup(mailboxes),
  });
  startMs = performance.now() - started;
});

afterAll(async () => {
  await servers?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

// Tokens ------------------------------------------------------------------------------------

function userToken(upn: string, oid: string, overrides: { scp?: string; aud?: string; expiresIn?: number } = {}): string {
  return issuer.sign(delegatedClaims({ upn, oid, scp: overrides.scp ?? ALL_SCOPES, aud: overrides.aud, expiresIn: overrides.expiresIn }));
}

function appToken(oid: string, roles = ["IMAP.AccessAsApp", "POP.AccessAsApp", "SMTP.SendAsApp"], aud?: string): string {
  return issuer.sign(appOnlyClaims({ oid, roles, aud }));
}

function mailbox(address: string): MailboxPolicy {
  const found = mailboxLookup(mailboxes)(address);
  if (found === undefined) throw new Error(`no fixture mailbox ${address}`);
  return found;
}

// Clients -----------------------------------------------------------------------------------

function imapflow(target: MailServers, user: string, accessToken: string): ImapFlow {
  return new ImapFlow({
    host: target.imap.host,
    port: target.imap.port,
    secure: true,
    tls: { ca: [tlsFiles.caPem], servername: "localhost" },
    auth: { user, accessToken },
    logger: false,
    disableAutoIdle: true,
  });
}

async function imapStatus(user: string, accessToken: string): Promise<unknown> {
  const client = imapflow(servers, user, accessToken);
  await client.connect();
  try {
    return await client.status("INBOX", { messages: true, unseen: true });
  } finally {
    await client.logout();
  }
}

async function imapflowError(target: MailServers, user: string, accessToken: string): Promise<Record<string, unknown>> {
  const client = imapflow(target, user, accessToken);
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    return error as Record<string, unknown>;
  } finally {
    client.close();
  }
  throw new Error("imapflow connected");
}

/** Raw IMAP: greeting, then "A1 AUTHENTICATE XOAUTH2 <initial response>"; returns the reply line. */
async function imapAuthenticate(user: string, accessToken: string, port = servers.imap.port): Promise<{ reply: string; client: LineClient }> {
  const client = await LineClient.connectTls(port, tlsFiles.caPem);
  await client.readLine();
  client.send(`A1 AUTHENTICATE XOAUTH2 ${xoauth2(user, accessToken)}`);
  return { reply: await client.readLine(), client };
}

/** Raw POP3 over implicit TLS, in Microsoft's two-step form: AUTH XOAUTH2, "+", then the response. */
async function pop3Authenticate(user: string, accessToken: string, port = servers.pop3.port): Promise<{ reply: string; client: LineClient }> {
  const client = await LineClient.connectTls(port, tlsFiles.caPem);
  expect(await client.readLine()).toBe("+OK The Microsoft Exchange POP3 service is ready.");
  client.send("AUTH XOAUTH2");
  expect(await client.readLine()).toBe("+ ");
  client.send(xoauth2(user, accessToken));
  return { reply: await client.readLine(), client };
}

async function pop3Stat(user: string, accessToken: string): Promise<string> {
  const { reply, client } = await pop3Authenticate(user, accessToken);
  expect(reply).toBe("+OK Logged in.");
  client.send("STAT");
  const stat = await client.readLine();
  client.send("QUIT");
  client.close();
  return stat;
}

/** Raw SMTP submission: EHLO, STARTTLS, EHLO, then the given AUTH command; returns the reply lines to it. */
async function smtpSession(port = servers.smtp.port): Promise<{ client: LineClient; ehloBefore: string[]; ehloAfter: string[] }> {
  const client = await LineClient.connectPlain(port);
  await client.readUntil((l) => l.startsWith("220 "));
  client.send("EHLO client.test");
  const ehloBefore = await client.readUntil((l) => l.startsWith("250 "));
  client.send("STARTTLS");
  expect(await client.readLine()).toMatch(/^220 /);
  await client.startTls(tlsFiles.caPem);
  client.send("EHLO client.test");
  const ehloAfter = await client.readUntil((l) => l.startsWith("250 "));
  return { client, ehloBefore, ehloAfter };
}

async function smtpAuthenticate(user: string, accessToken: string, port = servers.smtp.port): Promise<{ reply: string; client: LineClient }> {
  const { client } = await smtpSession(port);
  client.send(`AUTH XOAUTH2 ${xoauth2(user, accessToken)}`);
  return { reply: await client.readLine(), client };
}

function transport(user: string, accessToken: string) {
  return createTransport({
    host: servers.smtp.host,
    port: servers.smtp.port,
    secure: false,
    requireTLS: true,
    tls: { ca: [tlsFiles.caPem], servername: "localhost" },
    auth: { type: "OAuth2", user, accessToken },
  });
}

async function sendError(send: Promise<unknown>): Promise<{ response?: string; responseCode?: number }> {
  try {
    await send;
  } catch (error) {
    return error as { response?: string; responseCode?: number };
  }
  throw new Error("the message was accepted");
}

function decisions(stateDir: string): Array<Record<string, string>> {
  const file = path.join(stateDir, "logs", "auth-decisions.log");
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, string>);
}

// Tests -------------------------------------------------------------------------------------

describe("Dovecot and Postfix as Exchange Online", () => {
  it("start in well under 5 s", () => {
    expect(startMs).toBeLessThan(5000);
  });

  it("IMAP greets and advertises AUTH=PLAIN AUTH=XOAUTH2 SASL-IR, no OAUTHBEARER", async () => {
    const client = await LineClient.connectTls(servers.imap.port, tlsFiles.caPem);
    const greeting = await client.readLine();
    client.close();
    expect(greeting).toMatch(/^\* OK \[CAPABILITY .*\] The Microsoft Exchange IMAP4 service is ready\.$/);
    expect(greeting).toContain("AUTH=PLAIN AUTH=XOAUTH2");
    expect(greeting).toContain("SASL-IR");
    expect(greeting).not.toContain("OAUTHBEARER");
    expect(greeting).not.toContain("AUTH=LOGIN");
  });

  it("imapflow logs in with XOAUTH2 and reads the seeded INBOX status", async () => {
    expect(await imapStatus(ALICE, userToken(ALICE, ALICE_OID))).toEqual({ path: "INBOX", messages: 3, unseen: 2 });
    const last = decisions(path.join(root, "one")).at(-1);
    expect(last).toMatchObject({ service: "imap", mechanism: "XOAUTH2", mailbox: ALICE, outcome: "grant" });
  });

  it("POP3: AUTH XOAUTH2 over TLS, then STAT counts the seeded messages", async () => {
    expect(await pop3Stat(ALICE, userToken(ALICE, ALICE_OID))).toMatch(/^\+OK 3 \d+$/);
  });

  it("POP3 also accepts the one-line form and STLS on the plain port", async () => {
    const client = await LineClient.connectPlain(servers.pop3Starttls.port);
    await client.readLine();
    client.send("CAPA");
    expect(await client.readUntil((l) => l === ".")).toContain("STLS");
    client.send("STLS");
    expect(await client.readLine()).toMatch(/^\+OK/);
    await client.startTls(tlsFiles.caPem);
    client.send("CAPA");
    expect(await client.readUntil((l) => l === ".")).toContain("SASL PLAIN XOAUTH2");
    client.send(`AUTH XOAUTH2 ${xoauth2(BOB, userToken(BOB, BOB_OID))}`);
    expect(await client.readLine()).toBe("+OK Logged in.");
    client.send("STAT");
    expect(await client.readLine()).toMatch(/^\+OK 1 \d+$/);
    client.close();
  });

  it("SMTP offers AUTH LOGIN XOAUTH2 only after STARTTLS, and refuses MAIL before AUTH", async () => {
    const { client, ehloBefore, ehloAfter } = await smtpSession();
    expect(ehloBefore.join("\n")).not.toMatch(/AUTH/);
    expect(ehloBefore.join("\n")).toContain("STARTTLS");
    expect(ehloAfter).toContain("250-AUTH LOGIN XOAUTH2");
    client.send("MAIL FROM:<alice@contoso.test>");
    expect(await client.readLine()).toBe("530 5.7.57 Client not authenticated to send mail.");
    client.close();
  });

  it("nodemailer sends with OAuth2 and delivered() shows the message", async () => {
    const info = await transport(ALICE, userToken(ALICE, ALICE_OID)).sendMail({
      from: ALICE,
      to: [BOB, "someone@fabrikam.test"],
      subject: "Quarterly numbers",
      text: "Attached soon.",
    });
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as /);
    const toBob = await servers.delivered(BOB);
    expect(toBob).toHaveLength(1);
    expect(toBob[0]?.from).toBe(ALICE);
    expect(toBob[0]?.to.sort()).toEqual([BOB, "someone@fabrikam.test"]);
    expect(toBob[0]?.raw).toContain("Subject: Quarterly numbers");
    expect(await servers.delivered("nobody@contoso.test")).toEqual([]);
  });

  describe("refusals", () => {
    const refusedEverywhere = async (token: string, user = ALICE) => {
      const imap = await imapAuthenticate(user, token);
      imap.client.close();
      const pop3 = await pop3Authenticate(user, token);
      pop3.client.close();
      const smtp = await smtpAuthenticate(user, token);
      smtp.client.close();
      return { imap: imap.reply, pop3: pop3.reply, smtp: smtp.reply };
    };
    const refused = { imap: IMAP_REFUSED, pop3: POP3_REFUSED, smtp: SMTP_REFUSED };

    it("a token for the wrong audience (Graph)", async () => {
      expect(await refusedEverywhere(userToken(ALICE, ALICE_OID, { aud: "https://graph.microsoft.com" }))).toEqual(refused);
      const error = await imapflowError(servers, ALICE, userToken(ALICE, ALICE_OID, { aud: "https://graph.microsoft.com" }));
      expect(error.authenticationFailed).toBe(true);
      expect(error.responseText).toBe("AUTHENTICATE failed.");
    });

    it("an app-only token for the delegated audience, and a delegated token for the app-only audience", async () => {
      expect(await refusedEverywhere(appToken(APP_SP_OID, undefined, "https://outlook.office.com"))).toEqual(refused);
      expect(await refusedEverywhere(userToken(ALICE, ALICE_OID, { aud: "https://outlook.office365.com" }))).toEqual(refused);
    });

    it("an expired token", async () => {
      expect(await refusedEverywhere(userToken(ALICE, ALICE_OID, { expiresIn: -120 }))).toEqual(refused);
    });

    it("a token signed with another key", async () => {
      const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
      const forged = signJwt(privateKey, delegatedClaims({ upn: ALICE, oid: ALICE_OID, scp: ALL_SCOPES }));
      expect(await refusedEverywhere(forged)).toEqual(refused);
    });

    it("a token without the protocol's scope or role", async () => {
      const imapOnly = userToken(ALICE, ALICE_OID, { scp: "IMAP.AccessAsUser.All" });
      const pop3 = await pop3Authenticate(ALICE, imapOnly);
      pop3.client.close();
      expect(pop3.reply).toBe(POP3_REFUSED);
      const smtp = await smtpAuthenticate(ALICE, imapOnly);
      smtp.client.close();
      expect(smtp.reply).toBe(SMTP_REFUSED);
      const imap = await imapAuthenticate(ALICE, appToken(APP_SP_OID, ["POP.AccessAsApp"]));
      imap.client.close();
      expect(imap.reply).toBe(IMAP_REFUSED);
    });

    it("a token for another user: IMAP authenticates but is not connected, POP3 and SMTP refuse", async () => {
      const carols = userToken(CAROL, CAROL_OID);
      const { reply, client } = await imapAuthenticate(ALICE, carols);
      expect(reply).toBe("A1 OK AUTHENTICATE completed.");
      client.send("A2 SELECT INBOX");
      expect(await client.readLine()).toBe(`A2 ${NOT_CONNECTED}`);
      client.close();
      const pop3 = await pop3Authenticate(ALICE, carols);
      pop3.client.close();
      expect(pop3.reply).toBe(POP3_REFUSED);
      const smtp = await smtpAuthenticate(ALICE, carols);
      smtp.client.close();
      expect(smtp.reply).toBe(SMTP_REFUSED);
    });

    it("a password instead of a token: basic authentication is disabled", async () => {
      const imap = await LineClient.connectTls(servers.imap.port, tlsFiles.caPem);
      await imap.readLine();
      imap.send(`A1 LOGIN ${ALICE} ${userToken(ALICE, ALICE_OID)}`);
      expect(await imap.readLine()).toBe("A1 NO [AUTHENTICATIONFAILED] AUTHENTICATE failed.");
      imap.close();
      const { client } = await smtpSession();
      client.send(`AUTH LOGIN ${Buffer.from(ALICE).toString("base64")}`);
      expect(await client.readLine()).toMatch(/^334 /);
      client.send(Buffer.from("a password").toString("base64"));
      expect(await client.readLine()).toBe(
        "535 5.7.8 Error: authentication failed: 5.7.139 Authentication unsuccessful, basic authentication is disabled.",
      );
      client.close();
    });

    it("answers at once: no authentication penalty for repeated failures", async () => {
      const expired = userToken(ALICE, ALICE_OID, { expiresIn: -120 });
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const { reply, client } = await imapAuthenticate(ALICE, expired);
        client.close();
        expect(reply).toBe(IMAP_REFUSED);
        expect(performance.now() - started).toBeLessThan(1000);
      }
    });
  });

  describe("per-mailbox switches, read live", () => {
    it("IMAP disabled refuses IMAP only, and re-enabling applies to the next login", async () => {
      const token = userToken(CAROL, CAROL_OID);
      mailbox(CAROL).switches.imapDisabled = true;
      try {
        const imap = await imapAuthenticate(CAROL, token);
        imap.client.close();
        expect(imap.reply).toBe(IMAP_REFUSED);
        expect(await pop3Stat(CAROL, token)).toMatch(/^\+OK 1 /);
      } finally {
        mailbox(CAROL).switches.imapDisabled = false;
      }
      expect(await imapStatus(CAROL, token)).toMatchObject({ messages: 1, unseen: 0 });
    });

    it("POP disabled refuses POP3 with the generic -ERR", async () => {
      mailbox(CAROL).switches.popDisabled = true;
      try {
        const pop3 = await pop3Authenticate(CAROL, userToken(CAROL, CAROL_OID));
        pop3.client.close();
        expect(pop3.reply).toBe(POP3_REFUSED);
      } finally {
        mailbox(CAROL).switches.popDisabled = false;
      }
    });

    it("SMTP AUTH disabled: 535 with 5.7.139 ... disabled for the Mailbox", async () => {
      mailbox(CAROL).switches.smtpAuthDisabled = true;
      try {
        const error = await sendError(
          transport(CAROL, userToken(CAROL, CAROL_OID)).sendMail({ from: CAROL, to: BOB, subject: "x", text: "x" }),
        );
        expect(error.responseCode).toBe(535);
        expect(error.response).toBe(SMTP_AUTH_DISABLED);
      } finally {
        mailbox(CAROL).switches.smtpAuthDisabled = false;
      }
    });
  });

  describe("Send As", () => {
    it("a From that is not the authenticated mailbox is refused with 554 5.2.252 SendAsDenied", async () => {
      const error = await sendError(
        transport(ALICE, userToken(ALICE, ALICE_OID)).sendMail({ from: SHARED, to: BOB, subject: "as shared", text: "x" }),
      );
      expect(error.responseCode).toBe(554);
      expect(error.response).toBe(`554 5.2.252 SendAsDenied; ${ALICE} not allowed to send as ${SHARED}`);
    });

    it("a From header alone (envelope is the mailbox) is checked too", async () => {
      const error = await sendError(
        transport(ALICE, userToken(ALICE, ALICE_OID)).sendMail({
          envelope: { from: ALICE, to: [BOB] },
          from: `"The CEO" <${CAROL}>`,
          to: BOB,
          subject: "spoof",
          text: "x",
        }),
      );
      expect(error.response).toBe(`554 5.2.252 SendAsDenied; ${ALICE} not allowed to send as ${CAROL}`);
    });

    it("a principal with SendAs on the From mailbox may send as it", async () => {
      const info = await transport(BOB, userToken(BOB, BOB_OID)).sendMail({ from: SHARED, to: CAROL, subject: "from shared", text: "x" });
      expect(info.response).toMatch(/^250 /);
      const delivered = await servers.delivered(CAROL);
      expect(delivered.some((m) => m.from === SHARED && m.raw.includes("Subject: from shared"))).toBe(true);
    });
  });

  describe("shared mailbox", () => {
    it("a delegate with FullAccess opens it over IMAP and POP3 and sends from it over SMTP", async () => {
      const bobs = userToken(BOB, BOB_OID);
      expect(await imapStatus(SHARED, bobs)).toMatchObject({ messages: 2, unseen: 1 });
      expect(await pop3Stat(SHARED, bobs)).toMatch(/^\+OK 2 /);
      const info = await transport(SHARED, bobs).sendMail({ from: SHARED, to: ALICE, subject: "shared via delegate", text: "x" });
      expect(info.response).toMatch(/^250 /);
    });

    it("without FullAccess: IMAP answers like Exchange, 'User is authenticated but not connected'", async () => {
      const { reply, client } = await imapAuthenticate(SHARED, userToken(ALICE, ALICE_OID));
      expect(reply).toBe("A1 OK AUTHENTICATE completed.");
      client.send("A2 CAPABILITY");
      expect(await client.readLine()).toMatch(/^\* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR /);
      expect(await client.readLine()).toBe("A2 OK CAPABILITY completed.");
      client.send("A3 NAMESPACE");
      expect(await client.readLine()).toBe(`A3 ${NOT_CONNECTED}`);
      client.send('A4 LIST "" "INBOX"');
      expect(await client.readLine()).toBe(`A4 ${NOT_CONNECTED}`);
      expect(await client.readLine()).toBe("* BYE Connection closed. 14");
      expect(await client.closedByServer()).toBe(true);

      const error = await imapflowError(servers, SHARED, userToken(ALICE, ALICE_OID));
      expect(JSON.stringify(error)).toContain("User is authenticated but not connected");
    });
  });

  describe("app-only (client credentials) tokens", () => {
    it("with the role and FullAccess on the mailbox: IMAP, POP3 and SMTP work", async () => {
      const token = appToken(APP_SP_OID);
      expect(await imapStatus(ALICE, token)).toMatchObject({ messages: 3 });
      expect(await pop3Stat(ALICE, token)).toMatch(/^\+OK 3 /);
      const info = await transport(ALICE, token).sendMail({ from: ALICE, to: CAROL, subject: "from the app", text: "x" });
      expect(info.response).toMatch(/^250 /);
    });

    it("without FullAccess (a wrong service principal): 'User is authenticated but not connected'", async () => {
      const { reply, client } = await imapAuthenticate(ALICE, appToken(OTHER_APP_SP_OID));
      expect(reply).toBe("A1 OK AUTHENTICATE completed.");
      client.send("A2 SELECT INBOX");
      expect(await client.readLine()).toBe(`A2 ${NOT_CONNECTED}`);
      client.close();
      const smtp = await smtpAuthenticate(ALICE, appToken(OTHER_APP_SP_OID));
      smtp.client.close();
      expect(smtp.reply).toBe(SMTP_REFUSED);
    });
  });
});

describe("a second instance with Dovecot's XOAUTH2 error continuation", () => {
  let second: MailServers;

  beforeAll(async () => {
    second = await startMailServers({
      stateDir: path.join(root, "two"),
      tls: { certPath: tlsFiles.certPath, keyPath: tlsFiles.keyPath },
      mailboxes,
      verifyAccessToken: issuer.verify,
      getMailbox: mailboxLookup(mailboxes),
      xoauth2ErrorContinuation: true,
    });
  });

  afterAll(async () => {
    await second?.stop();
  });

  const CONTINUATION = Buffer.from('{"status":"401","schemes":"bearer","scope":"mail"}').toString("base64");

  it("runs next to the first one on its own ports", async () => {
    expect(second.imap.port).not.toBe(servers.imap.port);
    expect(await pop3Stat(ALICE, userToken(ALICE, ALICE_OID))).toMatch(/^\+OK 3 /);
    const client = imapflow(second, ALICE, userToken(ALICE, ALICE_OID));
    await client.connect();
    await client.logout();
  });

  it("IMAP: '+ <base64 JSON>', and NO after the client's empty line", async () => {
    const { reply, client } = await imapAuthenticate(ALICE, userToken(ALICE, ALICE_OID, { expiresIn: -60 }), second.imap.port);
    expect(reply).toBe(`+ ${CONTINUATION}`);
    client.send("");
    expect(await client.readLine()).toBe("A1 NO [AUTHENTICATIONFAILED] Authentication failed.");
    client.close();
    const error = await imapflowError(second, ALICE, userToken(ALICE, ALICE_OID, { expiresIn: -60 }));
    expect(error.oauthError).toEqual({ status: "401", schemes: "bearer", scope: "mail" });
    expect(error.authenticationFailed).toBe(true);
  });

  it("POP3: '+ <base64 JSON>', and -ERR after the empty line", async () => {
    const { reply, client } = await pop3Authenticate(ALICE, userToken(ALICE, ALICE_OID, { aud: "https://graph.microsoft.com" }), second.pop3.port);
    expect(reply).toBe(`+ ${CONTINUATION}`);
    client.send("");
    expect(await client.readLine()).toBe("-ERR [AUTH] Authentication failed.");
    client.close();
  });

  it("SMTP: '334 <base64 JSON>', and 535 after the empty line", async () => {
    const { reply, client } = await smtpAuthenticate(ALICE, userToken(ALICE, ALICE_OID, { expiresIn: -60 }), second.smtp.port);
    expect(reply).toBe(`334 ${CONTINUATION}`);
    client.send("");
    expect(await client.readLine()).toMatch(/^535 5\.7\.8 Error: authentication failed:/);
    client.close();
  });

  it("keeps Exchange's immediate texts for refusals that are not about the token", async () => {
    mailbox(CAROL).switches.smtpAuthDisabled = true;
    try {
      const { reply, client } = await smtpAuthenticate(CAROL, userToken(CAROL, CAROL_OID), second.smtp.port);
      client.close();
      expect(reply).toBe(SMTP_AUTH_DISABLED);
    } finally {
      mailbox(CAROL).switches.smtpAuthDisabled = false;
    }
  });
});

describe("stopping", () => {
  it("stopMailServersInStateDir() ends the daemons of an instance whose process lost track of them", async () => {
    const stateDir = path.join(root, "three");
    const lost = await startMailServers({
      stateDir,
      tls: { certPath: tlsFiles.certPath, keyPath: tlsFiles.keyPath },
      mailboxes,
      verifyAccessToken: issuer.verify,
      getMailbox: mailboxLookup(mailboxes),
      printPorts: false,
    });
    const pids = JSON.parse(fs.readFileSync(path.join(stateDir, "pids.json"), "utf8")) as { dovecot: number; postfix: number };
    const tree = [...processTree(pids.dovecot), ...processTree(pids.postfix)];
    await stopMailServersInStateDir(stateDir);
    expect(tree.filter(isAlive)).toEqual([]);
    await lost.stop(); // closes its in-process helpers; the daemons are gone already
  });

  it("ends every process it started and closes the ports", async () => {
    const pids = JSON.parse(fs.readFileSync(path.join(root, "one", "pids.json"), "utf8")) as { dovecot: number; postfix: number };
    const before = [...processTree(pids.dovecot), ...processTree(pids.postfix)];
    expect(before.length).toBeGreaterThan(4);
    await servers.stop();
    expect(before.filter(isAlive)).toEqual([]);
    await expect(LineClient.connectPlain(servers.smtp.port)).rejects.toThrow();
    await expect(LineClient.connectTls(servers.imap.port, tlsFiles.caPem)).rejects.toThrow();
  });
});
