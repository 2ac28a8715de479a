"use server";

import { runAction, type ActionResult } from "@/lib/action-result";
import { getRequestMeta } from "@/lib/auth/session";
import { createFirstAdmin, firstAdminSchema } from "@/lib/auth/users";
import { parseInput } from "@/lib/validation";

export async function createFirstAdminAction(formData: FormData): Promise<ActionResult<{ email: string }>> {
  return runAction("setup", async () => {
    const input = parseInput(firstAdminSchema, Object.fromEntries(formData));
    const user = await createFirstAdmin(input, await getRequestMeta());
    return { email: user.email };
  });
}
