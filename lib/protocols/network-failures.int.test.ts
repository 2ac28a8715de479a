// Failures below the protocol, for every adapter: a closed local port, a server whose certificate
// is not trusted, a .invalid host name, and a server that accepts the connection and never answers.
//
// The untrusted servers are a second Dovecot/Postfix and an HTTPS listener with a CA made in this
// file: when the run's stand-in was started first, its CA is in NODE_EXTRA_CA_CERTS and the
// stand-in itself is trusted even with the CA omitted.
import fs from "node:fs";
import https from "node:https";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailServers } from "../../e2e/stand-in/mail-contract";
import { startMailServers } from "../../e2e/stand-in/mail/start-mail-servers";
import { fixtureMailboxes, mailboxLookup } from "../../e2e/stand-in/mail/test-support/mailboxes";
import { createTestTls, type TestTls } from "../../e2e/stand-in/mail/test-support/test-tls";
import { createTokenIssuer } from "../../e2e/stand-in/mail/test-support/test-tokens";
import type { CheckInput, ErrorClass, ProtocolName } from "./protocol-check";
import { ADELE, check, closedPort, failed, SCOPE, silentServer, startStandInChecks, succeeded, type StandInChecks } from "./test-support/stand-in-checks";

let s: StandInChecks;
let silent: Awaited<ReturnType<typeof silentServer>>;
let closed: number;
const tokens: Partial<Record<ProtocolName, string>> = {};
let root: string;
let untrustedTls: TestTls;
let untrustedMail: MailServers;
let untrustedHttps: https.Server;

beforeAll(async () => {
  s = await startStandInChecks();
  silent = await silentServer();
  closed = await closedPort();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pn-"));
  untrustedTls = createTestTls(path.join(root, "tls"));
  const mailboxes = fixtureMailboxes();
  untrustedMail = await startMailServers({
    stateDir: path.join(root, "m"),
    tls: { certPath: untrustedTls.certPath, keyPath: untrustedTls.keyPath },
    mailboxes,
    verifyAccessToken: createTokenIssuer().verify,
    getMailbox: mailboxLookup(mailboxes),
    printPorts: false,
  });
  untrustedHttps = https.createServer({ cert: fs.readFileSync(untrustedTls.certPath), key: fs.readFileSync(untrustedTls.keyPath) }, (_req, res) => {
    res.writeHead(401, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error: { code: "InvalidAuthenticationToken", message: "Access token validation failure." } }));
  });
  await new Promise<void>((resolve) => untrustedHttps.listen(0, "127.0.0.1", resolve));
  tokens.imap = await s.delegated(ADELE, [SCOPE.imap]);
  tokens.pop3 = await s.delegated(ADELE, [SCOPE.pop3]);
  tokens.smtp = await s.delegated(ADELE, [SCOPE.smtp]);
  tokens.graph = await s.delegated(ADELE, [SCOPE.graphRead]);
  tokens.ews = await s.delegated(ADELE, [SCOPE.ews]);
});
afterAll(async () => {
  await silent?.close();
  await untrustedMail?.stop();
  await new Promise<void>((resolve) => (untrustedHttps ? untrustedHttps.close(() => resolve()) : resolve()));
  if (root) fs.rmSync(root, { recursive: true, force: true });
  await s?.release();
});

/** The same kind of server, with a certificate from a CA this process does not trust. */
function untrusted(variant: Variant): { host: string; port: number } {
  switch (variant) {
    case "imap":
      return untrustedMail.imap;
    case "pop3":
      return untrustedMail.pop3;
    case "pop3-stls":
      return untrustedMail.pop3Starttls!;
    case "smtp":
      return untrustedMail.smtp;
    case "graph":
    case "ews":
      return { host: "127.0.0.1", port: (untrustedHttps.address() as net.AddressInfo).port };
  }
}

type Variant = "imap" | "pop3" | "pop3-stls" | "smtp" | "graph" | "ews";
const variants: Variant[] = ["imap", "pop3", "pop3-stls", "smtp", "graph", "ews"];

/** A working input for the stand-in; `at` replaces host and port. */
function input(variant: Variant, at?: { host: string; port: number }): CheckInput {
  const protocol: ProtocolName = variant === "pop3-stls" ? "pop3" : variant;
  const base = { protocol, mailbox: ADELE, accessToken: tokens[protocol]!, authMode: "delegated" as const, trustedCaPem: s.standIn.caPem, timeoutMs: 10_000 };
  const mail = s.standIn.mail!;
  const url = (u: string) => {
    if (!at) return u;
    const parsed = new URL(u);
    parsed.hostname = at.host;
    parsed.port = String(at.port);
    return parsed.toString().replace(/\/$/, "");
  };
  switch (variant) {
    case "imap":
      return { ...base, direction: "inbound", server: { ...(at ?? mail.imap), security: "tls" } };
    case "pop3":
      return { ...base, direction: "inbound", server: { ...(at ?? mail.pop3), security: "tls" } };
    case "pop3-stls":
      return { ...base, direction: "inbound", server: { ...(at ?? mail.pop3Starttls!), security: "starttls" } };
    case "smtp":
      return { ...base, direction: "outbound", server: { ...(at ?? mail.smtp), security: "starttls" } };
    case "graph":
      return { ...base, direction: "inbound", graphBaseUrl: url(s.standIn.urls.graph) };
    case "ews":
      return { ...base, direction: "inbound", ewsUrl: url(s.standIn.urls.ews) };
  }
}

describe.each(variants)("%s", (variant) => {
  it("works with the CA (the baseline for the failures below)", async () => {
    succeeded(await check(input(variant)));
  });

  it("a closed local port: connection_refused at connect", async () => {
    const f = failed(await check(input(variant, { host: "127.0.0.1", port: closed })));
    expect(f).toMatchObject({ errorClass: "connection_refused" satisfies ErrorClass, stage: "connect" });
    expect(f.explanation.catalogCode).toBe("connection_refused");
  });

  it("the server's certificate not trusted (its CA not given): tls_failed; with the CA the check gets past TLS", async () => {
    const { trustedCaPem: _omitted, ...withoutCa } = input(variant, untrusted(variant));
    const f = failed(await check(withoutCa));
    expect(f).toMatchObject({ errorClass: "tls_failed", stage: "tls" });
    expect(f.explanation.catalogCode).toBe("tls_failure");
    // Same server with its CA: TLS passes and the (foreign) token is refused instead.
    const withCa = failed(await check({ ...withoutCa, trustedCaPem: untrustedTls.caPem }));
    expect(withCa.errorClass).not.toBe("tls_failed");
    expect(withCa.stage).toBe("auth");
  });

  it("a .invalid host: dns_failed", async () => {
    const f = failed(await check(input(variant, { host: "mail.stand-in.invalid", port: 443 })));
    expect(f).toMatchObject({ errorClass: "dns_failed", stage: "connect" });
    expect(f.serverResponse).toContain("ENOTFOUND");
    expect(f.explanation.catalogCode).toBe("dns_failure");
  });

  it("a server that accepts and says nothing: timeout within the limit", async () => {
    const f = failed(await check({ ...input(variant, { host: "127.0.0.1", port: silent.port }), timeoutMs: 1000 }));
    expect(f.errorClass).toBe("timeout");
    expect(f.durationMs).toBeLessThan(4000);
    expect(f.explanation.catalogCode).toBe("timeout");
  });
});
