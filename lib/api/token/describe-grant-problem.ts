import { getValidConsentLinkUrl } from "@/lib/consent/consent-links";
import type { GrantUnavailableError } from "@/lib/grants/get-access-token";
import { logWarn } from "@/lib/log";
import type { ApiMailbox } from "@/lib/api/queries/api-mailbox";
import { actorOfCaller, type ApiCaller } from "@/lib/api/http/api-caller";
import { ApiProblem } from "@/lib/api/http/api-problem";

// Why the token engine gave no token, as the API's problem: the engine's code becomes the problem code,
// its catalog explanation (who must do what) travels along, and for needs_consent the mailbox's
// still-valid one-time consent link, which an admin may pass to the mailbox owner. Copying the link is
// audited as the API (lib/consent records consent_link.copied).

export async function describeGrantProblem(error: GrantUnavailableError, mailbox: ApiMailbox, caller: ApiCaller): Promise<ApiProblem> {
  const x = error.explanation;
  const explanation = {
    code: x.code,
    title: x.title,
    explanation: x.explanation,
    fix: x.fix,
    actor: x.actor,
    ...(x.traceId ? { trace_id: x.traceId } : {}),
    ...(x.correlationId ? { correlation_id: x.correlationId } : {}),
  };
  const detail = `${mailbox.address}: ${x.title}. ${x.explanation}`;
  if (error.code === "upstream_unavailable") return new ApiProblem("upstream_unavailable", detail, { explanation }, Math.max(1, Math.ceil(error.retryAfterSeconds ?? 5)));
  if (error.code === "needs_consent") {
    let consentLink: { url: string; expires_at: string } | null = null;
    try {
      const link = await getValidConsentLinkUrl(mailbox.id, actorOfCaller(caller), { ip: caller.ip, userAgent: caller.userAgent });
      consentLink = link ? { url: link.url, expires_at: link.expiresAt.toISOString() } : null;
    } catch (e) {
      logWarn(`Could not read the consent link of mailbox ${mailbox.id} for a needs_consent answer.`, e);
    }
    return new ApiProblem("needs_consent", detail, { explanation, consent_link: consentLink });
  }
  return new ApiProblem(error.code, detail, { explanation });
}
