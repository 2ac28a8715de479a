"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/action-result";
import { actorOf, getRequestMeta, requireUser } from "@/lib/auth/session";
import { settingsSchema, updateSettings } from "@/lib/settings/settings";
import { parseInput } from "@/lib/validation";

export async function updateSettingsAction(formData: FormData): Promise<ActionResult<{ changed: string[] }>> {
  return runAction("update settings", async () => {
    const input = parseInput(settingsSchema, Object.fromEntries(formData));
    const user = await requireUser("settings.write");
    const changed = await updateSettings(input, actorOf(user), await getRequestMeta());
    revalidatePath("/", "layout");
    return { changed };
  }, "Settings saved.");
}
