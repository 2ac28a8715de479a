"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/action-result";
import { getRequestMeta, requireUser } from "@/lib/auth/session";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { parseInput } from "@/lib/validation";

// Creating and revoking keys: any signed-in staff member reaches the domain function, which refuses
// (and audits) everyone without api_keys.write, so a direct call by a support user is refused too.

export async function createApiKeyAction(formData: FormData): Promise<ActionResult<{ key: string; prefix: string; name: string }>> {
  return runAction("create API key", async () => {
    const user = await requireUser("api_keys.read");
    const form = {
      name: formData.get("name") ?? "",
      scopes: formData.getAll("scopes"),
      mailboxScope: formData.get("mailboxScope") ?? "",
      mailboxes: formData.get("mailboxes") ?? "",
      mailboxTag: formData.get("mailboxTag") ?? "",
      expiresOn: formData.get("expiresOn") ?? "",
      rateLimitPerMinute: formData.get("rateLimitPerMinute") ?? "",
    };
    const created = await createApiKey(form, user, await getRequestMeta());
    revalidatePath("/settings/api-keys");
    // The key travels to the browser once, in this answer; the page never shows it again.
    return { key: created.key, prefix: created.prefix, name: created.name };
  }, "API key created.");
}

const revokeSchema = z.object({ id: z.string().min(1).max(100) });

export async function revokeApiKeyAction(input: z.input<typeof revokeSchema>): Promise<ActionResult> {
  return runAction("revoke API key", async () => {
    const { id } = parseInput(revokeSchema, input);
    const user = await requireUser("api_keys.read");
    await revokeApiKey(id, user, await getRequestMeta());
    revalidatePath("/settings/api-keys");
    return undefined;
  }, "Revoked.");
}
