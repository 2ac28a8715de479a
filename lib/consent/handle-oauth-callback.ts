import { logWarn } from "@/lib/log";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { completeAdminConsent } from "@/lib/consent/complete-admin-consent";
import { completeDelegatedConsent } from "@/lib/consent/complete-delegated-consent";
import { claimConsentRequest, saveConsentOutcome, type ClaimResult } from "@/lib/consent/consent-request";
import { sha256 } from "@/lib/consent/consent-secrets";

// The portal's one redirect URI: every authorization (Connect, consent links, admin consent) comes
// back here and is told apart by its single-use state.

export type CallbackResult = { kind: "outcome"; stateHash: string } | { kind: "refused"; reason: Exclude<ClaimResult, { ok: true }>["reason"] };

export async function handleOAuthCallback(
  params: URLSearchParams,
  browserBinding: string | undefined,
  session: { userId: string; email: string } | null,
  meta: RequestMeta,
): Promise<CallbackResult> {
  const state = params.get("state") ?? "";
  const claim = await claimConsentRequest(state, browserBinding, session?.userId ?? null);
  if (!claim.ok) {
    logWarn(`OAuth callback refused: ${claim.reason}`);
    return { kind: "refused", reason: claim.reason };
  }
  const actor = session ? { id: session.userId, label: session.email } : { id: null, label: "consent-link" };
  const outcome =
    claim.request.kind === "admin_consent"
      ? await completeAdminConsent(claim.request, params, actor, meta)
      : await completeDelegatedConsent(claim.request, params, actor, meta);
  const stateHash = sha256(state);
  await saveConsentOutcome(stateHash, outcome);
  return { kind: "outcome", stateHash };
}
