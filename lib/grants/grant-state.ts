import type { ErrorExplanation, GrantState } from "@/lib/microsoft/error-explanation";
import { GrantUnavailableError } from "@/lib/grants/grant-unavailable-error";

// A grant's state as stored ("active" or where a permanent failure put it) and what a caller is told.

export const grantStates = ["needs_consent", "credential_invalid", "app_missing", "blocked_by_policy"] as const satisfies readonly GrantState[];

export function isGrantState(value: string): value is GrantState {
  return (grantStates as readonly string[]).includes(value);
}

const genericByState: Record<GrantState, Pick<ErrorExplanation, "title" | "explanation" | "fix" | "actor">> = {
  needs_consent: {
    title: "Sign-in needed",
    explanation: "Microsoft no longer accepts this mailbox's grant.",
    fix: "The mailbox owner signs in again: Connect on the mailbox page, or a consent link an admin sends.",
    actor: "mailbox_owner",
  },
  credential_invalid: {
    title: "App credential refused",
    explanation: "Microsoft refused the app registration's client secret or certificate.",
    fix: "An admin enters a valid secret (its Value) or certificate on the app registration.",
    actor: "admin",
  },
  app_missing: {
    title: "App registration not usable",
    explanation: "The app registration, its tenant or its configuration in the portal is not accepted by Microsoft.",
    fix: "An admin checks the client ID, tenant and cloud of the app registration, and admin consent.",
    actor: "admin",
  },
  blocked_by_policy: {
    title: "Blocked by a tenant policy",
    explanation: "A Conditional Access or other tenant policy blocks token issuance for this account.",
    fix: "An admin reviews the policy (find the sign-in log by correlation ID) or excludes this app.",
    actor: "admin",
  },
};

export function parseLastError(json: string | null): ErrorExplanation | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null && "code" in value && "title" in value ? (value as ErrorExplanation) : null;
  } catch {
    return null;
  }
}

/** Throws unless the grant is active; a stopped grant is never retried until re-consent resets it (issue #5 item 6). */
export function assertGrantActive(grant: { state: string; lastError: string | null }): void {
  if (grant.state === "active") return;
  const state: GrantState = isGrantState(grant.state) ? grant.state : "needs_consent";
  const explanation = parseLastError(grant.lastError) ?? { code: state, permanent: true, errorClass: "identity", grantState: state, ...genericByState[state] };
  throw new GrantUnavailableError(state, explanation);
}
