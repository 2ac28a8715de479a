// One health check of one mailbox over one protocol: settings and a bearer token in, a typed
// outcome with timings out. lib/protocols knows nothing of Next.js or the database; callers hand
// it what it needs. runProtocolCheck never throws and never puts the token into an outcome.
import { CheckClock, CheckFailure, failureFromUnknown, type CheckStage } from "./check-failure";
import { checkEws } from "./ews";
import { explainCheckFailure, type CheckExplanation } from "./explain-check-failure";
import { checkGraph } from "./graph";
import { checkImap } from "./imap";
import { checkPop3 } from "./pop3";
import { redactServerResponse } from "./redact-server-response";
import { checkSmtp } from "./smtp";
import { buildXoauth2InitialResponse } from "./xoauth2";

export type ProtocolName = "imap" | "pop3" | "smtp" | "graph" | "ews";
export type CheckDirection = "inbound" | "outbound";
export type AuthMode = "delegated" | "app_only";

export interface ServerSettings {
  host: string;
  port: number;
  security: "tls" | "starttls" | "none";
}

export interface CheckInput {
  protocol: ProtocolName;
  direction: CheckDirection;
  /** The address in XOAUTH2 `user=` (also for shared mailboxes), Graph `users/{id}`, EWS X-AnchorMailbox / impersonation. */
  mailbox: string;
  /** A bearer token the caller obtained. Never logged, never returned. */
  accessToken: string;
  authMode: AuthMode;
  /** IMAP, POP3, SMTP. */
  server?: ServerSettings;
  /** e.g. https://graph.microsoft.com (a trailing /v1.0 is accepted); a custom cloud: the stand-in's URL. */
  graphBaseUrl?: string;
  /** e.g. https://outlook.office365.com/EWS/Exchange.asmx */
  ewsUrl?: string;
  /** An extra CA (PEM) trusted for this check only, for a custom cloud. Never process-wide. */
  trustedCaPem?: string;
  /** Per check, default 20000. */
  timeoutMs?: number;
  /** SMTP / Graph outbound: send a short test message to this address. Without it nothing is sent. */
  testMessageTo?: string;
  /**
   * SMTP / Graph outbound test message: the From address when it is not `mailbox` (sending as a
   * shared mailbox or another address needs Send As; Exchange answers 5.2.252 / ErrorSendAsDenied otherwise).
   */
  fromAddress?: string;
  /**
   * SMTP / Graph outbound with testMessageTo: the message to send instead of the standard test text
   * (notifications by e-mail go through a connected mailbox this way, lib/notify). Plain text.
   */
  message?: { subject: string; text: string };
}

export type ErrorClass =
  | "auth_failed"
  | "protocol_disabled"
  | "smtp_auth_disabled"
  | "send_as_denied"
  | "not_connected"
  | "wrong_audience"
  | "missing_permission"
  | "mailbox_not_found"
  | "tls_failed"
  | "dns_failed"
  | "connection_refused"
  | "timeout"
  | "throttled"
  | "server_error"
  | "unknown";

export interface CheckTimings {
  /** TCP connect, TLS handshake (and STARTTLS), greeting. */
  connectMs?: number;
  /** SASL exchange (IMAP/POP3/SMTP). Graph and EWS authenticate inside the request: no separate figure. */
  authMs?: number;
  /** The protocol operation: STATUS/SELECT, STAT, verify/send, the HTTP request. */
  operationMs?: number;
}

export type CheckDetails = Record<string, string | number | boolean>;

export type CheckOutcome =
  | {
      ok: true;
      protocol: ProtocolName;
      direction: CheckDirection;
      durationMs: number;
      timings: CheckTimings;
      /** e.g. messages, unseen, folder, capabilities, sent. */
      details: CheckDetails;
    }
  | {
      ok: false;
      protocol: ProtocolName;
      direction: CheckDirection;
      durationMs: number;
      timings: CheckTimings;
      errorClass: ErrorClass;
      stage: CheckStage;
      /** The server's (or socket's) own words, with any token or base64 blob removed. */
      serverResponse?: string;
      /**
       * Facts the check found beyond the server's words, e.g. what the token's audience or
       * permissions are when the server answered only "AUTHENTICATE failed." No secrets.
       */
      diagnosis?: string;
      /** Seconds the server asked to wait (Graph Retry-After, EWS BackOffMilliseconds). */
      retryAfterSeconds?: number;
      explanation: CheckExplanation;
    };

export type { CheckStage } from "./check-failure";

const DEFAULT_TIMEOUT_MS = 20_000;

export interface AdapterContext {
  clock: CheckClock;
  /** Aborted when the check's time is up; adapters close their sockets on it. */
  signal: AbortSignal;
  timeoutMs: number;
}

export type ProtocolAdapter = (input: CheckInput, ctx: AdapterContext) => Promise<CheckDetails>;

const adapters: Record<ProtocolName, ProtocolAdapter> = {
  imap: checkImap,
  pop3: checkPop3,
  smtp: checkSmtp,
  graph: checkGraph,
  ews: checkEws,
};

/** Settings problems found before anything is dialled; undefined when the input can be checked. */
function inputProblem(input: CheckInput): string | undefined {
  if (!(input.protocol in adapters)) return `unknown protocol "${String(input.protocol)}"`;
  if (input.direction !== "inbound" && input.direction !== "outbound") return `unknown direction "${String(input.direction)}"`;
  if (input.protocol === "imap" || input.protocol === "pop3") {
    if (input.direction !== "inbound") return `${input.protocol.toUpperCase()} is for reading mail (direction inbound)`;
  }
  if (input.protocol === "smtp" && input.direction !== "outbound") return "SMTP is for sending mail (direction outbound)";
  if (input.protocol === "ews" && input.direction !== "inbound") return "the EWS check reads the inbox (direction inbound)";
  if (!input.mailbox || !input.mailbox.includes("@")) return "the mailbox address is missing or not an address";
  if (!input.accessToken) return "no access token was given";
  if (input.protocol === "imap" || input.protocol === "pop3" || input.protocol === "smtp") {
    const s = input.server;
    if (!s || !s.host) return `no ${input.protocol.toUpperCase()} server host was given`;
    if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) return `the ${input.protocol.toUpperCase()} port ${String(s.port)} is not a port number`;
    if (s.security !== "tls" && s.security !== "starttls" && s.security !== "none") return `unknown connection security "${String(s.security)}"`;
  }
  if (input.protocol === "graph" && !isHttpsUrl(input.graphBaseUrl)) return "the Graph base URL is missing or not https://";
  if (input.protocol === "ews" && !isHttpsUrl(input.ewsUrl)) return "the EWS URL is missing or not https://";
  try {
    buildXoauth2InitialResponse(input.mailbox, input.accessToken);
  } catch (e) {
    return e instanceof TypeError ? e.message : "the mailbox address or token is malformed";
  }
  return undefined;
}

function isHttpsUrl(value: string | undefined): boolean {
  if (!value) return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

export async function runProtocolCheck(input: CheckInput): Promise<CheckOutcome> {
  const clock = new CheckClock();
  const protocol = input.protocol;
  const direction = input.direction;
  const timeoutMs = input.timeoutMs && input.timeoutMs > 0 ? input.timeoutMs : DEFAULT_TIMEOUT_MS;
  const secrets = secretsOf(input);

  const problem = inputProblem(input);
  if (problem) {
    return failureOutcome(input, clock, new CheckFailure({ stage: "connect", errorClass: "unknown", diagnosis: `The check could not start: ${problem}.` }), secrets, problem);
  }

  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const stage = clock.stage;
      controller.abort();
      reject(new CheckFailure({ stage, errorClass: "timeout", facts: { code: "ETIMEDOUT" }, diagnosis: `No answer within ${timeoutMs} ms (during ${stage}).` }));
    }, timeoutMs);
  });
  const running = adapters[protocol](input, { clock, signal: controller.signal, timeoutMs });
  // The adapter may still settle after a timeout: its result no longer matters, its rejection must not go unhandled.
  running.catch(() => {});
  try {
    const details = await Promise.race([running, timedOut]);
    clock.finish();
    return { ok: true, protocol, direction, durationMs: clock.elapsedMs(), timings: clock.timings, details };
  } catch (error) {
    return failureOutcome(input, clock, failureFromUnknown(error, clock.stage), secrets);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Everything that must never appear in an outcome: the token and the XOAUTH2 blob built from it. */
function secretsOf(input: CheckInput): string[] {
  const out = [input.accessToken].filter((s): s is string => typeof s === "string" && s.length > 0);
  try {
    out.push(buildXoauth2InitialResponse(input.mailbox, input.accessToken));
  } catch {
    // No blob can have been sent.
  }
  return out;
}

function failureOutcome(input: CheckInput, clock: CheckClock, failure: CheckFailure, secrets: string[], notStarted?: string): CheckOutcome {
  clock.finish();
  const errorClass = failure.errorClass ?? "unknown";
  const serverResponse = failure.facts.response ? redactServerResponse(failure.facts.response, secrets) : undefined;
  const diagnosis = failure.diagnosis ? redactServerResponse(failure.diagnosis, secrets) : undefined;
  return {
    ok: false,
    protocol: input.protocol,
    direction: input.direction,
    durationMs: clock.elapsedMs(),
    timings: clock.timings,
    errorClass,
    stage: failure.stage,
    ...(serverResponse ? { serverResponse } : {}),
    ...(diagnosis ? { diagnosis } : {}),
    ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
    explanation: explainCheckFailure(
      input.protocol,
      errorClass,
      {
        ...failure.facts,
        ...(serverResponse ? { response: serverResponse } : {}),
        ...(failure.facts.body ? { body: redactBody(failure.facts.body, secrets) } : {}),
      },
      { mailbox: typeof input.mailbox === "string" ? input.mailbox : "", ...(notStarted ? { notStarted: `The check could not start: ${notStarted}.` } : {}) },
    ),
  };
}

/** Bodies keep their structure (JSON, XML) for the catalog; only the check's own secrets and bearer values go. */
function redactBody(body: string, secrets: string[]): string {
  let out = body;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join("[token removed]");
  return out.replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, "$1[token removed]").slice(0, 20_000);
}
