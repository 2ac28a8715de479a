// SMTP check with nodemailer: STARTTLS (587, required) or implicit TLS (465), AUTH XOAUTH2 with
// `user=` the mailbox, then verify() (no message) or, when asked, one short test message.
//
// Why a custom XOAUTH2 handler instead of nodemailer's built-in OAuth2: on an error challenge
// ("334 <base64 JSON>") the built-in flow answers with an empty line and then sends
// "AUTH XOAUTH2 <token>" once more (it asks its token source for a "renewed" token, which without a
// refresh mechanism is the same token). Reference §3 says never resend the token. The handler below
// answers the challenge with an empty line and fails with the server's 535 text.
import nodemailer from "nodemailer";
import type { SMTPConnectionCustomAuthHandler } from "nodemailer/lib/smtp-connection";
import { CheckFailure, classifyTransportError, type CheckStage } from "./check-failure";
import { diagnoseTokenRefusal } from "./diagnose-token-refusal";
import type { AdapterContext, CheckDetails, CheckInput } from "./protocol-check";
import { tlsOptions } from "./tls-trust";
import { buildXoauth2InitialResponse, decodeXoauth2ErrorChallenge, describeXoauth2ErrorChallenge } from "./xoauth2";

interface SmtpError {
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

const SMTP_AUTH_DISABLED = /5\.7\.139/;
const SMTP_AUTH_DISABLED_TEXT = /SmtpClientAuthentication is disabled/i;
const BASIC_AUTH_TEXT = /basic authentication|security defaults/i;
const SEND_AS_DENIED = /5\.2\.252|SendAsDenied/i;
const AUTH_UNSUCCESSFUL = /5\.7\.3\b|5\.7\.8\b|Authentication unsuccessful|authentication failed/i;
const NOT_AUTHENTICATED = /5\.7\.57|5\.7\.30|Client not authenticated/i;
const THROTTLED = /4\.7\.500|4\.3\.2|server busy|throttl|too many|rate limit|concurrent connections/i;
const RECIPIENT = /5\.1\.\d|5\.4\.1|recipient/i;

export async function checkSmtp(input: CheckInput, ctx: AdapterContext): Promise<CheckDetails> {
  const server = input.server!;
  const { clock } = ctx;
  let authResponse: string | undefined;
  let challenge: string | undefined;

  const xoauth2: SMTPConnectionCustomAuthHandler = async (auth) => {
    clock.enter("auth");
    const first = await auth.sendCommand(`AUTH XOAUTH2 ${buildXoauth2InitialResponse(input.mailbox, input.accessToken)}`);
    authResponse = first.response;
    if (first.status === 235) {
      clock.enter("operation");
      return;
    }
    if (first.status === 334) {
      const decoded = decodeXoauth2ErrorChallenge(first.text.trim() || first.response.slice(3));
      challenge = decoded ? describeXoauth2ErrorChallenge(decoded) : "XOAUTH2 error challenge";
      // Answer the challenge with an empty line, never with the token again (reference §3).
      const final = await auth.sendCommand("");
      authResponse = final.response;
    }
    throw new Error("XOAUTH2 refused");
  };

  clock.enter("connect");
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.security === "tls",
    requireTLS: server.security === "starttls",
    ignoreTLS: server.security === "none",
    tls: tlsOptions(input.trustedCaPem),
    // type OAuth2 makes nodemailer choose XOAUTH2; the custom handler above runs the exchange.
    auth: { type: "OAuth2", user: input.mailbox, accessToken: input.accessToken },
    customAuth: { XOAUTH2: xoauth2 },
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
    dnsTimeout: ctx.timeoutMs,
    logger: false,
    debug: false,
  });
  const onAbort = (): void => transport.close();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    if (!input.testMessageTo) {
      await transport.verify();
      return { authenticated: true, sent: false };
    }
    const from = input.fromAddress ?? input.mailbox;
    const info = await transport.sendMail({
      from,
      to: input.testMessageTo,
      subject: input.message?.subject ?? "Mailbox OAuth Portal: SMTP test message",
      text: input.message?.text ?? `This is a test message from the Mailbox OAuth Portal's SMTP check for ${input.mailbox}. It can be deleted.`,
    });
    return {
      authenticated: true,
      sent: true,
      from,
      to: input.testMessageTo,
      ...(typeof info.response === "string" ? { serverReply: info.response } : {}),
      ...(info.messageId ? { messageId: info.messageId } : {}),
    };
  } catch (error) {
    throw classifySmtpError(error, input, clock.stage, authResponse, challenge);
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    transport.close();
  }
}

export function classifySmtpError(error: unknown, input: CheckInput, stage: CheckStage, authResponse?: string, challenge?: string): CheckFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as SmtpError;
  const isAuth = e.code === "EAUTH" || (e.command ?? "").startsWith("AUTH");
  const response = (isAuth ? authResponse : undefined) ?? e.response ?? e.message ?? String(error);
  const serverWords = [challenge, response].filter(Boolean).join("\n");

  if (isAuth) {
    if (SMTP_AUTH_DISABLED.test(response) && (SMTP_AUTH_DISABLED_TEXT.test(response) || !BASIC_AUTH_TEXT.test(response))) {
      return new CheckFailure({
        stage: "auth",
        errorClass: "smtp_auth_disabled",
        facts: { response: serverWords, code: "5.7.139", status: e.responseCode ?? 535 },
        diagnosis: "Authenticated SMTP (SMTP AUTH) is turned off for this mailbox or the whole organisation.",
      });
    }
    if (THROTTLED.test(response) && !/^5/.test(response)) return new CheckFailure({ stage: "auth", errorClass: "throttled", facts: { response: serverWords, status: e.responseCode ?? 0 } });
    if (AUTH_UNSUCCESSFUL.test(response) || SMTP_AUTH_DISABLED.test(response) || challenge) {
      const verdict = diagnoseTokenRefusal({
        protocol: "smtp",
        direction: "outbound",
        mailbox: input.mailbox,
        accessToken: input.accessToken,
        authMode: input.authMode,
        whenOwnTokenLooksRight: "auth_failed",
        whenDelegateTokenLooksRight: challenge ? "auth_failed" : "not_connected",
        ownTokenNote: challenge ? "The server still refused it: the token may be revoked, forged or for another tenant." : "Exchange gives no further reason; a blocked sign-in or a token from another tenant are possible causes.",
        delegateTokenNote: challenge
          ? "The server still refused it."
          : "Exchange refuses SMTP logins to a mailbox the user or app may not use (Full Access / Send As; app-only: the Exchange service principal must be the Enterprise application's object ID).",
      });
      return new CheckFailure({ stage: "auth", errorClass: verdict.errorClass, facts: { response: serverWords, code: enhancedCode(response) ?? "5.7.3", status: e.responseCode ?? 535 }, diagnosis: verdict.diagnosis });
    }
    if (/not supported|no (supported )?auth|authentication not/i.test(response)) {
      return new CheckFailure({ stage: "auth", errorClass: "auth_failed", facts: { response: serverWords }, diagnosis: "The server does not offer AUTH XOAUTH2 (Exchange offers it only after STARTTLS)." });
    }
    return new CheckFailure({ stage: "auth", errorClass: "auth_failed", facts: { response: serverWords, ...(e.responseCode ? { status: e.responseCode } : {}) } });
  }

  if (e.responseCode !== undefined || e.response) {
    const at: CheckStage = stage === "connect" || stage === "tls" ? stage : "operation";
    const facts = { response, ...(e.responseCode ? { status: e.responseCode } : {}), ...(enhancedCode(response) ? { code: enhancedCode(response)! } : {}) };
    if (SEND_AS_DENIED.test(response)) {
      return new CheckFailure({
        stage: "operation",
        errorClass: "send_as_denied",
        facts,
        diagnosis: `${input.mailbox} authenticated, but may not send as ${input.fromAddress ?? input.mailbox}: it needs Send As on that address (Add-RecipientPermission … -AccessRights SendAs).`,
      });
    }
    if (NOT_AUTHENTICATED.test(response)) return new CheckFailure({ stage: at, errorClass: "auth_failed", facts });
    if (THROTTLED.test(response)) return new CheckFailure({ stage: at, errorClass: "throttled", facts });
    if (RECIPIENT.test(response) && at === "operation") {
      return new CheckFailure({ stage: at, errorClass: "unknown", facts, diagnosis: `The server refused the test message's recipient ${input.testMessageTo ?? ""}; the mailbox itself authenticated.` });
    }
    return new CheckFailure({ stage: at, errorClass: "server_error", facts });
  }

  const transport = classifyTransportError(error);
  if (transport) {
    return new CheckFailure({ stage: transport.errorClass === "timeout" ? stage : transport.stage, errorClass: transport.errorClass, facts: { code: transport.code, response: transport.message } });
  }
  if (e.code === "ETLS" || /STARTTLS/i.test(e.message ?? "")) {
    return new CheckFailure({ stage: "tls", errorClass: "tls_failed", facts: { code: e.code ?? "ETLS", response }, diagnosis: "The server did not offer STARTTLS, so the token was not sent." });
  }
  if (e.code === "EDNS") return new CheckFailure({ stage: "connect", errorClass: "dns_failed", facts: { code: e.code, response } });
  if (e.code === "ETIMEDOUT") return new CheckFailure({ stage, errorClass: "timeout", facts: { code: e.code, response } });
  return new CheckFailure({ stage, errorClass: "unknown", facts: { response, ...(e.code ? { code: e.code } : {}) } });
}

function enhancedCode(text: string): string | undefined {
  // Exchange's own code follows Postfix's prefix in the stand-in ("535 5.7.8 Error: …: 5.7.139 …"): the last one is Exchange's.
  const all = [...text.matchAll(/\b([245]\.\d{1,3}\.\d{1,3})\b/g)].map((m) => m[1]!);
  return all.at(-1);
}
