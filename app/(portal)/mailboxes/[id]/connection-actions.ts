"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { runAction, type ActionResult } from "@/lib/action-result";
import { actorOf, getRequestMeta, requireUser } from "@/lib/auth/session";
import type { AppOnlyConfirmation } from "@/lib/consent/confirm-app-only-access";
import { connectMailbox } from "@/lib/consent/connect-mailbox";
import { setConsentCookie } from "@/lib/consent/consent-cookie";
import { createConsentLink, getValidConsentLinkUrl, revokeConsentLinks } from "@/lib/consent/consent-links";
import { checkMailboxNow, type UseCheck } from "@/lib/health/check-mailbox-now";
import { disconnectMailbox } from "@/lib/mailboxes/disconnect-mailbox";

/** Delegated: off to Microsoft's sign-in (the browser is redirected). App-only: the app's access is proven now. */
export async function connectMailboxAction(mailboxId: string): Promise<ActionResult<AppOnlyConfirmation>> {
  const started = await runAction("connect mailbox", async () => {
    const admin = await requireUser("mailboxes.write");
    return connectMailbox(String(mailboxId), actorOf(admin), await getRequestMeta());
  });
  if (!started.ok) return started;
  if (started.data.kind === "redirect") {
    await setConsentCookie(started.data.browserBinding);
    redirect(started.data.authorizeUrl);
  }
  revalidatePath(`/mailboxes/${mailboxId}`);
  return { ok: true, data: started.data.confirmation };
}

export async function createConsentLinkAction(mailboxId: string): Promise<ActionResult<{ url: string; expiresAt: string }>> {
  return runAction("create consent link", async () => {
    const user = await requireUser("consent_links.create");
    const link = await createConsentLink(String(mailboxId), actorOf(user), await getRequestMeta());
    revalidatePath(`/mailboxes/${mailboxId}`);
    return { url: link.url, expiresAt: link.expiresAt.toISOString() };
  });
}

export async function copyConsentLinkAction(mailboxId: string): Promise<ActionResult<{ url: string; expiresAt: string } | null>> {
  return runAction("copy consent link", async () => {
    const user = await requireUser("consent_links.copy");
    const link = await getValidConsentLinkUrl(String(mailboxId), actorOf(user), await getRequestMeta());
    return link ? { url: link.url, expiresAt: link.expiresAt.toISOString() } : null;
  });
}

export async function revokeConsentLinksAction(mailboxId: string): Promise<ActionResult<number>> {
  return runAction("revoke consent links", async () => {
    const user = await requireUser("consent_links.create");
    const n = await revokeConsentLinks(String(mailboxId), actorOf(user), await getRequestMeta());
    revalidatePath(`/mailboxes/${mailboxId}`);
    return n;
  });
}

export async function disconnectMailboxAction(mailboxId: string): Promise<ActionResult> {
  return runAction("disconnect mailbox", async () => {
    const user = await requireUser("grants.disconnect");
    await disconnectMailbox(String(mailboxId), actorOf(user), await getRequestMeta());
    revalidatePath(`/mailboxes/${mailboxId}`);
    return undefined;
  });
}

export async function testMailboxNowAction(mailboxId: string): Promise<ActionResult<UseCheck[]>> {
  return runAction("test mailbox", async () => {
    await requireUser("health.run");
    const checks = await checkMailboxNow(String(mailboxId), { trigger: "manual" });
    // The result is shown by the caller; the page's history, chart and uptime refresh in the same round trip.
    revalidatePath(`/mailboxes/${mailboxId}`);
    revalidatePath("/dashboard");
    return checks;
  });
}
