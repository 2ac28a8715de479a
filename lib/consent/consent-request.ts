import { getDb } from "@/lib/db/client";
import { sha256 } from "@/lib/consent/consent-secrets";
import type { ConsentOutcome } from "@/lib/consent/consent-outcome";

export type ConsentRequestRow = NonNullable<Awaited<ReturnType<ReturnType<typeof getDb>["consentRequest"]["findUnique"]>>>;

export type ClaimResult =
  | { ok: true; request: ConsentRequestRow }
  | { ok: false; reason: "unknown_state" | "used" | "expired" | "other_browser" | "other_user" };

/**
 * Takes the authorization request named by `state` for this browser (and this signed-in user when
 * the request was started by one). It is marked used in the same step, so a replayed redirect finds
 * it used: each state works once.
 */
export async function claimConsentRequest(state: string, browserBinding: string | undefined, sessionUserId: string | null): Promise<ClaimResult> {
  if (!state || state.length > 200) return { ok: false, reason: "unknown_state" };
  const stateHash = sha256(state);
  const request = await getDb().consentRequest.findUnique({ where: { stateHash } });
  if (!request) return { ok: false, reason: "unknown_state" };
  if (request.usedAt) return { ok: false, reason: "used" };
  if (request.expiresAt <= new Date()) return { ok: false, reason: "expired" };
  if (!browserBinding || sha256(browserBinding) !== request.browserBindingHash) return { ok: false, reason: "other_browser" };
  if (request.initiatedByUserId && request.initiatedByUserId !== sessionUserId) return { ok: false, reason: "other_user" };
  const { count } = await getDb().consentRequest.updateMany({ where: { stateHash, usedAt: null }, data: { usedAt: new Date() } });
  if (count !== 1) return { ok: false, reason: "used" };
  return { ok: true, request };
}

export async function saveConsentOutcome(stateHash: string, outcome: ConsentOutcome): Promise<void> {
  await getDb().consentRequest.update({ where: { stateHash }, data: { outcome: JSON.stringify(outcome) } });
}

/** The outcome for the result page, only for the browser that started the request. */
export async function readConsentOutcome(stateHash: string, browserBinding: string | undefined): Promise<ConsentOutcome | null> {
  if (!browserBinding) return null;
  const request = await getDb().consentRequest.findUnique({ where: { stateHash } });
  if (!request?.outcome || request.browserBindingHash !== sha256(browserBinding)) return null;
  return JSON.parse(request.outcome) as ConsentOutcome;
}

/** Old requests are useless after their ten minutes; their outcomes after a day. */
export async function pruneConsentRequests(now = new Date()): Promise<number> {
  const { count } = await getDb().consentRequest.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 86_400_000) } } });
  return count;
}
