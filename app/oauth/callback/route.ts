import { cookies } from "next/headers";
import { getCurrentUser, getRequestMeta } from "@/lib/auth/session";
import { handleOAuthCallback } from "@/lib/consent/handle-oauth-callback";
import { CONSENT_COOKIE } from "@/lib/consent/consent-secrets";
import { getEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

/**
 * GET /oauth/callback: the redirect URI registered in Azure (shown in Settings and every setup guide).
 * Validates the state against this browser, does the work, and sends the browser to the result page,
 * so the code never stays in the address bar or history.
 */
export async function GET(request: Request) {
  const params = new URL(request.url).searchParams;
  const jar = await cookies();
  const user = await getCurrentUser();
  const result = await handleOAuthCallback(params, jar.get(CONSENT_COOKIE)?.value, user ? { userId: user.id, email: user.email } : null, await getRequestMeta());
  const base = getEnv().portalUrl;
  const target = result.kind === "outcome" ? `${base}/oauth/result?r=${encodeURIComponent(result.stateHash)}` : `${base}/oauth/result?refused=${result.reason}`;
  return new Response(null, { status: 303, headers: { location: target, "cache-control": "no-store" } });
}
