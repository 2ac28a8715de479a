// POP3 check: implicit TLS (995) or STLS (110), CAPA, AUTH XOAUTH2 with `user=` the mailbox,
// STAT for the message count and size, QUIT. POP3 has no "unseen": every message in the drop is
// counted.
import { CheckFailure, classifyTransportError, type CheckStage } from "./check-failure";
import { diagnoseTokenRefusal } from "./diagnose-token-refusal";
import { Pop3Client, Pop3Error } from "./pop3-client";
import type { AdapterContext, CheckDetails, CheckInput } from "./protocol-check";
import { tlsOptions } from "./tls-trust";
import { describeXoauth2ErrorChallenge } from "./xoauth2";

const THROTTLED = /throttl|too many|\[IN-USE\]|\[SYS\/TEMP\]|server busy|try again later/i;

export async function checkPop3(input: CheckInput, ctx: AdapterContext): Promise<CheckDetails> {
  const server = input.server!;
  const { clock } = ctx;
  clock.enter("connect");
  let client: Pop3Client;
  try {
    client = await Pop3Client.connect(
      { host: server.host, port: server.port, security: server.security, tls: tlsOptions(input.trustedCaPem), timeoutMs: ctx.timeoutMs, signal: ctx.signal },
      { onConnected: () => clock.enter("auth") },
    );
  } catch (error) {
    throw classifyPop3Error(error, clock.stage);
  }
  const onAbort = (): void => client.close();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    let capabilities: string[] | undefined;
    try {
      capabilities = await client.capa();
      const auth = await client.authXoauth2(input.mailbox, input.accessToken);
      if (!auth.ok) throw refusal(input, auth.line, auth.challenge ? describeXoauth2ErrorChallenge(auth.challenge) : undefined);
    } catch (error) {
      throw classifyPop3Error(error, "auth");
    }
    clock.enter("operation");
    let stat;
    try {
      stat = await client.stat();
    } catch (error) {
      throw classifyPop3Error(error, "operation");
    }
    await client.quit();
    const details: CheckDetails = { folder: "INBOX", messages: stat.messages, octets: stat.octets };
    const sasl = capabilities?.find((c) => /^SASL\b/i.test(c));
    if (sasl) details.capabilities = sasl;
    if (client.tlsProtocol) details.tls = client.tlsProtocol;
    return details;
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    client.close();
  }
}

function refusal(input: CheckInput, line: string, challenge: string | undefined): CheckFailure {
  const response = [challenge, line].filter(Boolean).join("\n");
  if (THROTTLED.test(line)) return new CheckFailure({ stage: "auth", errorClass: "throttled", facts: { response } });
  // After an error challenge the token itself was refused; a disabled protocol is refused at once (reference §3).
  const verdict = diagnoseTokenRefusal({
    protocol: "pop3",
    direction: "inbound",
    mailbox: input.mailbox,
    accessToken: input.accessToken,
    authMode: input.authMode,
    whenOwnTokenLooksRight: challenge ? "auth_failed" : "protocol_disabled",
    whenDelegateTokenLooksRight: challenge ? "auth_failed" : "not_connected",
    ownTokenNote: challenge
      ? "The server still refused it: the token may be revoked, forged or for another tenant."
      : "Exchange answers the same generic refusal when POP is disabled for the mailbox (Set-CASMailbox -PopEnabled $false) or the account is blocked.",
    delegateTokenNote: challenge
      ? "The server still refused it."
      : "Exchange refuses POP3 logins to a mailbox the user or app has no Full Access to (Add-MailboxPermission; app-only: the Exchange service principal must be the Enterprise application's object ID). POP being disabled for the mailbox gives the same answer.",
  });
  return new CheckFailure({ stage: "auth", errorClass: verdict.errorClass, facts: { response }, diagnosis: verdict.diagnosis });
}

function classifyPop3Error(error: unknown, stage: CheckStage): CheckFailure {
  if (error instanceof CheckFailure) return error;
  const transport = classifyTransportError(error);
  if (transport) {
    return new CheckFailure({ stage: transport.errorClass === "timeout" ? stage : transport.stage, errorClass: transport.errorClass, facts: { code: transport.code, response: transport.message } });
  }
  if (error instanceof Pop3Error) {
    const response = error.line ?? error.message;
    if (error.kind === "timeout") return new CheckFailure({ stage, errorClass: "timeout", facts: { code: "ETIMEDOUT", response: error.message } });
    if (error.line && THROTTLED.test(error.line)) return new CheckFailure({ stage, errorClass: "throttled", facts: { response } });
    if (error.kind === "closed") return new CheckFailure({ stage, errorClass: "server_error", facts: { code: "ECLOSED", response }, diagnosis: "The server closed the connection before the check finished." });
    if (error.kind === "err") return new CheckFailure({ stage, errorClass: "server_error", facts: { response }, diagnosis: error.message });
    return new CheckFailure({ stage, errorClass: "unknown", facts: { response }, diagnosis: `The server does not speak POP3 as expected: ${error.message}.` });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CheckFailure({ stage, errorClass: "unknown", facts: { response: message } });
}
