import { cookies } from "next/headers";
import { getEnv } from "@/lib/env";
import { CONSENT_COOKIE, CONSENT_REQUEST_MINUTES } from "@/lib/consent/consent-secrets";

/** Puts the browser binding of a new authorization request into this browser (httpOnly, Lax). */
export async function setConsentCookie(browserBinding: string): Promise<void> {
  (await cookies()).set(CONSENT_COOKIE, browserBinding, {
    httpOnly: true,
    // Lax: sent with Microsoft's top-level redirect back to /oauth/callback (response_mode=query).
    sameSite: "lax",
    secure: getEnv().secureCookies,
    path: "/oauth",
    maxAge: (CONSENT_REQUEST_MINUTES + 5) * 60,
  });
}
