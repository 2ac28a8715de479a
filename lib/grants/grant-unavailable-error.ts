import type { ErrorExplanation, GrantState } from "@/lib/microsoft/error-explanation";

// Why no access token can be handed out for a mailbox, with the catalog's explanation (who must do what).
// The message is the explanation's title: never a token, a secret or Microsoft's raw request.

export type GrantUnavailableCode = GrantState | "upstream_unavailable" | "not_connected";

export class GrantUnavailableError extends Error {
  override readonly name = "GrantUnavailableError";

  constructor(
    readonly code: GrantUnavailableCode,
    readonly explanation: ErrorExplanation,
    /** When Microsoft (or the backoff after failures) says to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${code}: ${explanation.title}`);
  }
}

export const notConnectedExplanation: ErrorExplanation = {
  code: "not_connected",
  title: "Mailbox not connected",
  explanation: "No grant is stored for this mailbox: nobody has consented yet, or it was disconnected.",
  fix: "An admin uses Connect on the mailbox page (app-only: confirms the app's access), or sends the mailbox owner a consent link.",
  actor: "admin",
  permanent: true,
  errorClass: "identity",
};

export const modeMismatchExplanation: ErrorExplanation = {
  ...notConnectedExplanation,
  code: "grant_mode_mismatch",
  title: "Connected in another mode",
  explanation: "The stored grant is for another authentication mode (delegated or app-only) than the mailbox now uses.",
};

export const refreshBusyExplanation: ErrorExplanation = {
  code: "refresh_busy",
  title: "Token refresh still running",
  explanation: "Another process of the portal is refreshing this mailbox's token and did not finish in time.",
  fix: "Nothing to do: try again in a few seconds. If it persists, look for a stuck portal instance.",
  actor: "retry",
  permanent: false,
  errorClass: "timeout",
};

export const backoffExplanation = (last: ErrorExplanation | null): ErrorExplanation => ({
  ...(last ?? {
    code: "backoff",
    title: "Waiting before the next attempt",
    explanation: "Microsoft's token endpoint failed recently; the portal waits before asking again.",
    fix: "Nothing to do: the portal tries again by itself.",
    actor: "retry" as const,
    errorClass: "unknown" as const,
  }),
  permanent: false,
});
