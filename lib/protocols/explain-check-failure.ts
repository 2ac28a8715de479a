// THE single point where a failed check gets its plain-language title, explanation, fix and actor:
// the shared catalog in lib/microsoft (classifyProtocolError), the same one that explains token
// errors. lib/protocols decides the ErrorClass (it also reads the token and the socket); the catalog
// supplies the words. No other file in lib/protocols holds explanation texts.
import { classifyProtocolError } from "@/lib/microsoft/aadsts-catalog";
import type { Actor, CatalogEntry, ErrorExplanation } from "@/lib/microsoft/error-explanation";
import { psQuote } from "@/lib/microsoft/powershell-quoting";
import { protocolEntries } from "@/lib/microsoft/protocol-error-entries";
import type { FailureFacts } from "./check-failure";
import type { ErrorClass, ProtocolName } from "./protocol-check";

export interface CheckExplanation {
  title: string;
  explanation: string;
  fix: string;
  /** Who has to act: admin, mailbox_owner, retry (nobody: wait), portal_operator. */
  actor: Actor;
  /** The catalog entry's stable key (e.g. "smtp_5.7.139_smtp_auth_disabled"). */
  catalogCode: string;
  /** False when retrying later may succeed without anyone acting. */
  permanent: boolean;
}

const TLS_CODE = /^(?:CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO_SELF_SIGNED|EPROTO$|HOSTNAME_MISMATCH)/;

/** The socket code the catalog knows for a transport class (libraries have their own names for timeouts). */
function catalogCode(errorClass: ErrorClass, code: string | undefined): string | undefined {
  switch (errorClass) {
    case "timeout":
      return "ETIMEDOUT";
    case "dns_failed":
      return code === "EAI_AGAIN" || code === "EAI_NONAME" ? code : "ENOTFOUND";
    case "connection_refused":
      return code === "EHOSTUNREACH" || code === "ENETUNREACH" ? code : "ECONNREFUSED";
    case "tls_failed":
      return code && TLS_CODE.test(code) ? code : "ERR_TLS_HANDSHAKE";
    case "server_error":
      return code === "ECLOSED" || code === "ECONNRESET" ? "ECONNRESET" : undefined;
    default:
      return undefined;
  }
}

/**
 * Failures found without a server's words (Graph outbound reads Mail.Send from the token): the catalog
 * entry the server's answer would have led to.
 */
function entryWithoutServerWords(protocol: ProtocolName, errorClass: ErrorClass): CatalogEntry | undefined {
  if (protocol !== "graph") return undefined;
  switch (errorClass) {
    case "missing_permission":
      return protocolEntries.graphAccessDenied;
    case "wrong_audience":
      return protocolEntries.graphWrongAudience;
    case "auth_failed":
      return protocolEntries.graphInvalidToken;
    default:
      return undefined;
  }
}

function fromEntry(entry: CatalogEntry, mailbox: string): CheckExplanation {
  return {
    title: entry.title,
    explanation: entry.explanation,
    fix: entry.fix.replaceAll("{mailbox}", psQuote(mailbox)),
    actor: entry.actor,
    catalogCode: entry.code,
    permanent: entry.permanent,
  };
}

function fromExplanation(e: ErrorExplanation): CheckExplanation {
  return { title: e.title, explanation: e.explanation, fix: e.fix, actor: e.actor, catalogCode: e.code, permanent: e.permanent };
}

/**
 * The catalog finds an EWS ResponseCode with `<ResponseCode>Error…</ResponseCode>`, but Exchange (and the
 * stand-in) write `<e:ResponseCode xmlns:e="…">` in SOAP faults, which that pattern misses. The code the
 * adapter already parsed is put first in a form the catalog reads; harmless once the catalog accepts attributes.
 */
function ewsBodyForCatalog(facts: FailureFacts): string | undefined {
  if (!facts.code || !/^Error\w+$/.test(facts.code)) return facts.body;
  return `<ResponseCode>${facts.code}</ResponseCode>\n${facts.body ?? ""}`;
}

export function explainCheckFailure(protocol: ProtocolName, errorClass: ErrorClass, facts: FailureFacts, context: { mailbox: string; notStarted?: string }): CheckExplanation {
  if (context.notStarted) {
    // The check never reached a server: the settings are incomplete (no catalog entry is about our own input).
    return { title: "Check not run", explanation: context.notStarted, fix: "Complete the mailbox's connection settings and run the check again.", actor: "portal_operator", catalogCode: "check_not_started", permanent: true };
  }
  const noServerWords = !facts.response && !facts.body && facts.status === undefined;
  const direct = noServerWords ? entryWithoutServerWords(protocol, errorClass) : undefined;
  if (direct) return fromEntry(direct, context.mailbox);
  const code = catalogCode(errorClass, facts.code);
  const body = protocol === "ews" ? ewsBodyForCatalog(facts) : facts.body;
  return fromExplanation(
    classifyProtocolError(protocol, {
      ...(facts.response ? { response: facts.response } : {}),
      ...(body ? { body } : {}),
      ...(facts.status !== undefined ? { status: facts.status } : {}),
      ...(facts.headers ? { headers: facts.headers } : {}),
      ...(code ? { code } : {}),
      mailbox: context.mailbox,
    }),
  );
}
