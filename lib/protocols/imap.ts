// IMAP check with imapflow: XOAUTH2 with `user=` the mailbox (also for a shared mailbox,
// reference §3), then STATUS INBOX for message and unseen counts (read-only: nothing is selected,
// no flag changes), then LOGOUT. Exchange offers only XOAUTH2; imapflow would pick OAUTHBEARER
// where a server offers it (toolchain notes).
import { ImapFlow } from "imapflow";
import { CheckFailure, classifyTransportError } from "./check-failure";
import { diagnoseTokenRefusal } from "./diagnose-token-refusal";
import type { AdapterContext, CheckDetails, CheckInput, ErrorClass } from "./protocol-check";
import { tlsOptions } from "./tls-trust";
import { describeXoauth2ErrorChallenge } from "./xoauth2";

const NOT_CONNECTED = /User is authenticated but not connected/i;
const THROTTLED = /throttl|too many (connections|requests|commands)|\[UNAVAILABLE\]|\[LIMIT\]|server busy/i;

interface ImapError {
  code?: string;
  message?: string;
  response?: string;
  responseText?: string;
  responseStatus?: string;
  serverResponseCode?: string;
  authenticationFailed?: boolean;
  oauthError?: unknown;
}

export async function checkImap(input: CheckInput, ctx: AdapterContext): Promise<CheckDetails> {
  const server = input.server!;
  const { clock } = ctx;
  clock.enter("connect");
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: server.security === "tls",
    // STARTTLS must happen when asked for (no silent plain-text login); "none" never upgrades.
    doSTARTTLS: server.security === "starttls" ? true : server.security === "none" ? false : undefined,
    auth: { user: input.mailbox, accessToken: input.accessToken },
    // The handshake's end (certificate accepted) closes the connect stage; greeting and SASL are auth.
    tls: tlsOptions(input.trustedCaPem, () => clock.enter("auth")),
    logger: false,
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
    disableAutoIdle: true,
    disableCompression: true,
  });
  // imapflow also reports socket errors as events; the awaited calls below carry them.
  client.on("error", () => {});
  const abort = (): void => client.close();
  ctx.signal.addEventListener("abort", abort, { once: true });

  try {
    try {
      await client.connect();
    } catch (error) {
      throw classifyImapError(error, input, clock.stage);
    }
    clock.enter("operation");
    let status;
    try {
      status = await client.status("INBOX", { messages: true, unseen: true });
    } catch (error) {
      throw classifyImapError(error, input, "operation");
    }
    if (!status) throw new CheckFailure({ stage: "operation", errorClass: "server_error", facts: { response: "STATUS INBOX returned nothing" } });
    const details: CheckDetails = {
      folder: status.path,
      messages: status.messages ?? 0,
      unseen: status.unseen ?? 0,
    };
    const caps = [...client.capabilities.keys()].filter((c) => /^(AUTH=|IMAP4|IDLE$|MOVE$|UIDPLUS$|CONDSTORE$|QUOTA$)/i.test(c));
    if (caps.length) details.capabilities = caps.join(" ");
    await logoutQuietly(client);
    return details;
  } finally {
    ctx.signal.removeEventListener("abort", abort);
    client.close();
  }
}

async function logoutQuietly(client: ImapFlow): Promise<void> {
  try {
    await client.logout();
  } catch {
    // The check has its answer; a server that drops the connection on LOGOUT does not change it.
  }
}

function classifyImapError(error: unknown, input: CheckInput, stage: "connect" | "tls" | "auth" | "operation"): CheckFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as ImapError;
  const response = e.response ?? e.message ?? String(error);

  if (NOT_CONNECTED.test(response)) {
    // Reference §3: authenticated, but no access to the mailbox named in user= (FullAccess,
    // the service principal's object ID, or user= not the token's user).
    return new CheckFailure({
      stage: "operation",
      errorClass: "not_connected",
      facts: { response, code: "NOT_CONNECTED" },
      diagnosis: `Exchange accepted the token but cannot open ${input.mailbox} for it: the signed-in user or app has no Full Access to this mailbox, or (app-only) Exchange's service principal was created with the wrong object ID.`,
    });
  }
  if (e.authenticationFailed) {
    const challenge = typeof e.oauthError === "object" && e.oauthError !== null ? describeXoauth2ErrorChallenge(e.oauthError as Record<string, string>) : undefined;
    const serverWords = [challenge, response].filter(Boolean).join("\n");
    // After an error challenge the server has refused the token itself (not a disabled protocol).
    const looksRight: ErrorClass = challenge ? "auth_failed" : "protocol_disabled";
    const verdict = diagnoseTokenRefusal({
      protocol: "imap",
      direction: "inbound",
      mailbox: input.mailbox,
      accessToken: input.accessToken,
      authMode: input.authMode,
      whenOwnTokenLooksRight: looksRight,
      whenDelegateTokenLooksRight: looksRight,
      ownTokenNote: challenge ? "The server still refused it: the token may be revoked, forged or for another tenant." : "Exchange answers the same generic refusal when IMAP is disabled for the mailbox (Set-CASMailbox -ImapEnabled $false) or the account is blocked.",
      delegateTokenNote: challenge ? "The server still refused it." : "Exchange answers the same generic refusal when IMAP is disabled for the mailbox (Set-CASMailbox -ImapEnabled $false).",
    });
    return new CheckFailure({ stage: "auth", errorClass: verdict.errorClass, facts: { response: serverWords, code: e.serverResponseCode ?? "AUTHENTICATIONFAILED" }, diagnosis: verdict.diagnosis });
  }
  const transport = classifyTransportError(error);
  if (transport) {
    return new CheckFailure({ stage: transport.errorClass === "timeout" ? stage : transport.stage, errorClass: transport.errorClass, facts: { code: transport.code, response: transport.message } });
  }
  if (THROTTLED.test(response)) return new CheckFailure({ stage, errorClass: "throttled", facts: { response } });
  if (e.responseStatus === "NO" || e.responseStatus === "BAD") {
    return new CheckFailure({ stage, errorClass: "server_error", facts: { response, ...(e.serverResponseCode ? { code: e.serverResponseCode } : {}) } });
  }
  if (e.code === "NoConnection" || e.code === "EConnectionClosed" || /connection (closed|not available)|unexpected close/i.test(response)) {
    return new CheckFailure({ stage, errorClass: "server_error", facts: { response, code: e.code ?? "CLOSED" }, diagnosis: "The server closed the connection before the check finished." });
  }
  return new CheckFailure({ stage, errorClass: "unknown", facts: { response, ...(e.code ? { code: e.code } : {}) } });
}
