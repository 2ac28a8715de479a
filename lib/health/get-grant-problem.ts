import { assertGrantActive } from "@/lib/grants/grant-state";
import { GrantUnavailableError } from "@/lib/grants/grant-unavailable-error";
import type { CheckExplanationView } from "@/lib/health/check-explanation";

/**
 * Why a stopped grant gives no tokens, in the token engine's own words (its last error, or its text for
 * the state): asked of the engine rather than copied, so the dashboard says what Test now would say.
 */
export function grantProblemOf(grant: { state: string; lastError: string | null }): CheckExplanationView | null {
  try {
    assertGrantActive(grant);
    return null;
  } catch (error) {
    if (!(error instanceof GrantUnavailableError)) throw error;
    const x = error.explanation;
    return { title: x.title, explanation: x.explanation, fix: x.fix, actor: x.actor, code: x.code, serverResponse: x.microsoftMessage ?? null, diagnosis: null };
  }
}
