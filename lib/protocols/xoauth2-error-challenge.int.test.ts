// The XOAUTH2 error challenge (reference §3): the server answers a bad token with "+ <base64 JSON>"
// (IMAP, POP3) or "334 <base64 JSON>" (SMTP) and waits; the client must answer with an empty line,
// never resend the token, and report the final NO / -ERR / 535. Exchange's samples fail at once,
// so the stand-in does not do this by default; here its mail servers run a second time, with
// Dovecot's continuation switched on, and with their own test CA and token issuer.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailServers } from "../../e2e/stand-in/mail-contract";
import { startMailServers } from "../../e2e/stand-in/mail/start-mail-servers";
import { ALICE, ALICE_OID, fixtureMailboxes, mailboxLookup } from "../../e2e/stand-in/mail/test-support/mailboxes";
import { createTestTls, type TestTls } from "../../e2e/stand-in/mail/test-support/test-tls";
import { createTokenIssuer, delegatedClaims, type TokenIssuer } from "../../e2e/stand-in/mail/test-support/test-tokens";
import type { CheckInput } from "./protocol-check";
import { check, failed, succeeded } from "./test-support/stand-in-checks";

let root: string;
let tlsFiles: TestTls;
let issuer: TokenIssuer;
let servers: MailServers;
let stateDir: string;

beforeAll(async () => {
  // Short: Dovecot's UNIX sockets live under it.
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pc-"));
  tlsFiles = createTestTls(path.join(root, "tls"));
  issuer = createTokenIssuer();
  const mailboxes = fixtureMailboxes();
  stateDir = path.join(root, "m");
  servers = await startMailServers({
    stateDir,
    tls: { certPath: tlsFiles.certPath, keyPath: tlsFiles.keyPath },
    mailboxes,
    verifyAccessToken: issuer.verify,
    getMailbox: mailboxLookup(mailboxes),
    xoauth2ErrorContinuation: true,
    printPorts: false,
  });
});

afterAll(async () => {
  await servers?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const SCOPES = "IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send";
const token = (expiresIn = 3600) => issuer.sign(delegatedClaims({ upn: ALICE, oid: ALICE_OID, scp: SCOPES, expiresIn }));

function input(protocol: "imap" | "pop3" | "smtp", accessToken: string): CheckInput {
  const server = protocol === "imap" ? { ...servers.imap, security: "tls" as const } : protocol === "pop3" ? { ...servers.pop3, security: "tls" as const } : { ...servers.smtp, security: "starttls" as const };
  return { protocol, direction: protocol === "smtp" ? "outbound" : "inbound", mailbox: ALICE, accessToken, authMode: "delegated", server, trustedCaPem: tlsFiles.caPem, timeoutMs: 10_000 };
}

/** Logins the servers' auth bridge decided for Alice: one per SASL exchange that carried a token. */
async function loginAttempts(): Promise<number> {
  await new Promise((r) => setTimeout(r, 150)); // the bridge appends asynchronously
  const file = path.join(stateDir, "logs", "auth-decisions.log");
  if (!fs.existsSync(file)) return 0;
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .filter((l) => l && (JSON.parse(l) as { mailbox?: string }).mailbox === ALICE).length;
}

describe.each(["imap", "pop3", "smtp"] as const)("%s with Dovecot's XOAUTH2 error challenge", (protocol) => {
  it("a good token still logs in", async () => {
    succeeded(await check(input(protocol, token())));
  });

  it("an expired token: the challenge is answered with an empty line, the token is sent once, auth_failed is reported", async () => {
    const before = await loginAttempts();
    const f = failed(await check(input(protocol, token(-120))));
    expect(f).toMatchObject({ errorClass: "auth_failed", stage: "auth" });
    expect(f.serverResponse).toContain("XOAUTH2 error challenge (status 401, schemes bearer, scope mail)");
    // The server's final answer after the empty line.
    expect(f.serverResponse).toMatch(protocol === "imap" ? /Authentication failed\./ : protocol === "pop3" ? /-ERR \[AUTH\] Authentication failed\./ : /535 5\.7\.8 Error: authentication failed/);
    expect(f.diagnosis).toMatch(/expired/);
    expect(await loginAttempts()).toBe(before + 1);
  });
});
