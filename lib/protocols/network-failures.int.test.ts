// Failures below the protocol, for every adapter: a closed local port, the stand-in's servers
// without their CA (untrusted certificate), a .invalid host name, and a server that accepts the
// connection and never answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckInput, ErrorClass, ProtocolName } from "./protocol-check";
import { ADELE, check, closedPort, failed, SCOPE, silentServer, startStandInChecks, succeeded, type StandInChecks } from "./test-support/stand-in-checks";

let s: StandInChecks;
let silent: Awaited<ReturnType<typeof silentServer>>;
let closed: number;
const tokens: Partial<Record<ProtocolName, string>> = {};

beforeAll(async () => {
  s = await startStandInChecks();
  silent = await silentServer();
  closed = await closedPort();
  tokens.imap = await s.delegated(ADELE, [SCOPE.imap]);
  tokens.pop3 = await s.delegated(ADELE, [SCOPE.pop3]);
  tokens.smtp = await s.delegated(ADELE, [SCOPE.smtp]);
  tokens.graph = await s.delegated(ADELE, [SCOPE.graphRead]);
  tokens.ews = await s.delegated(ADELE, [SCOPE.ews]);
});
afterAll(async () => {
  await silent?.close();
  await s?.release();
});

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

  it("the server's certificate not trusted (CA omitted): tls_failed", async () => {
    const { trustedCaPem: _omitted, ...withoutCa } = input(variant);
    const f = failed(await check(withoutCa));
    expect(f).toMatchObject({ errorClass: "tls_failed", stage: "tls" });
    expect(f.explanation.catalogCode).toBe("tls_failure");
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
