"use server";

import { redirect } from "next/navigation";
import { runAction, type ActionResult } from "@/lib/action-result";
import { getRequestMeta } from "@/lib/auth/session";
import { setConsentCookie } from "@/lib/consent/consent-cookie";
import { startConsentFromLink } from "@/lib/consent/start-consent";

/** Public: the mailbox owner's "Sign in with Microsoft" on a consent link. The link itself is the authorisation. */
export async function startConsentFromLinkAction(token: string): Promise<ActionResult> {
  const started = await runAction("start consent from link", async () => startConsentFromLink(String(token), await getRequestMeta()));
  if (!started.ok) return started;
  await setConsentCookie(started.data.browserBinding);
  redirect(started.data.authorizeUrl);
}
