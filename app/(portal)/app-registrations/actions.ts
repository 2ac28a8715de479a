"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { setConsentCookie } from "@/lib/consent/consent-cookie";
import { startAdminConsent } from "@/lib/consent/start-consent";
import { runAction, type ActionResult } from "@/lib/action-result";
import { actorOf, getRequestMeta, requireUser } from "@/lib/auth/session";
import { checkAppCredentials, type CredentialCheckResult } from "@/lib/app-registrations/check-app-credentials";
import { deleteAppRegistration, saveAppRegistration } from "@/lib/app-registrations/save-app-registration";

export async function saveAppRegistrationAction(
  id: string | null,
  formData: FormData,
): Promise<ActionResult<{ id: string; warnings: Record<string, string> }>> {
  return runAction("save app registration", async () => {
    const admin = await requireUser("apps.write");
    const { appRegistration, warnings } = await saveAppRegistration(id, Object.fromEntries(formData), actorOf(admin), await getRequestMeta());
    revalidatePath("/app-registrations");
    return { id: appRegistration.id, warnings };
  }, "Saved.");
}

export async function deleteAppRegistrationAction(id: string): Promise<ActionResult> {
  return runAction("delete app registration", async () => {
    const admin = await requireUser("apps.write");
    await deleteAppRegistration(String(id), actorOf(admin), await getRequestMeta());
    revalidatePath("/app-registrations");
    return undefined;
  });
}

export async function checkAppCredentialsAction(id: string): Promise<ActionResult<CredentialCheckResult>> {
  return runAction("check app credentials", async () => {
    const admin = await requireUser("apps.write");
    const result = await checkAppCredentials(String(id), actorOf(admin), await getRequestMeta());
    revalidatePath(`/app-registrations/${id}`);
    return result;
  });
}

export async function startAdminConsentAction(id: string): Promise<ActionResult> {
  const started = await runAction("start admin consent", async () => {
    const admin = await requireUser("apps.write");
    return startAdminConsent(String(id), actorOf(admin), await getRequestMeta());
  });
  if (!started.ok) return started;
  await setConsentCookie(started.data.browserBinding);
  redirect(started.data.authorizeUrl);
}
