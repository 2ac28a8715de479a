// The shape every explained error has, whether it came from the identity platform (AADSTS), a mail
// protocol (IMAP, POP3, SMTP, Graph, EWS) or the network. One catalog holds them all (aadsts-catalog.ts).

/** Who has to act: an admin of the tenant or app registration, the mailbox owner, nobody (retry later), or whoever runs this portal. */
export type Actor = "admin" | "mailbox_owner" | "retry" | "portal_operator";

/**
 * Where a grant goes after a permanent failure, so retries stop and the status board names who must do what:
 * - needs_consent: someone must sign in (again) or consent: the mailbox owner, or an admin for admin consent;
 * - credential_invalid: the app's secret or certificate (or the assertion made from it) is refused;
 * - app_missing: the app registration, its tenant, or the way this portal is configured to use it must be fixed;
 * - blocked_by_policy: a tenant policy (Conditional Access, disabled account, app assignment) blocks access.
 */
export type GrantState = "needs_consent" | "credential_invalid" | "app_missing" | "blocked_by_policy";

export type ErrorClass =
  | "identity"
  | "authentication"
  | "wrong_audience"
  | "permission"
  | "mailbox_access"
  | "protocol_disabled"
  | "send_as"
  | "configuration"
  | "throttled"
  | "server"
  | "tls"
  | "dns"
  | "connection_refused"
  | "timeout"
  | "network"
  | "unknown";

export interface CatalogEntry {
  /** Stable key: "AADSTS7000215", "invalid_grant", "smtp_5.7.139_auth_disabled", "tls_failure", … */
  code: string;
  title: string;
  explanation: string;
  /** What to do. `{mailbox}` is replaced by the mailbox address (PowerShell-quoted) when it is known. */
  fix: string;
  actor: Actor;
  permanent: boolean;
  grantState?: GrantState;
  errorClass: ErrorClass;
}

export interface ErrorExplanation {
  code: string;
  title: string;
  explanation: string;
  fix: string;
  actor: Actor;
  permanent: boolean;
  grantState?: GrantState;
  errorClass: ErrorClass;
  /** Microsoft's own text (AADSTS description or server reply) without its Trace ID / Correlation ID / Timestamp lines. */
  microsoftMessage?: string;
  traceId?: string;
  correlationId?: string;
  timestamp?: string;
  /** From Retry-After or EWS BackOffMilliseconds, when the server said how long to wait. */
  retryAfterSeconds?: number;
}
