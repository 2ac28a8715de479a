"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction, type ActionResult } from "@/lib/action-result";
import { actorOf, getRequestMeta, requireUser } from "@/lib/auth/session";
import { createUser, newUserSchema, updateUser, userChangeSchema } from "@/lib/auth/users";
import { parseInput } from "@/lib/validation";

export async function createUserAction(formData: FormData): Promise<ActionResult<{ email: string }>> {
  return runAction("create user", async () => {
    const input = parseInput(newUserSchema, Object.fromEntries(formData));
    const admin = await requireUser("users.write");
    const user = await createUser(input, actorOf(admin), await getRequestMeta());
    revalidatePath("/settings/users");
    return { email: user.email };
  }, "User created. Give them the address of this portal and their password.");
}

const changeRequestSchema = z.object({ userId: z.string().min(1).max(100) }).and(userChangeSchema);

export async function changeUserAction(input: z.input<typeof changeRequestSchema>): Promise<ActionResult> {
  return runAction("change user", async () => {
    const { userId, ...change } = parseInput(changeRequestSchema, input);
    const admin = await requireUser("users.write");
    await updateUser(userId, change, actorOf(admin), await getRequestMeta());
    revalidatePath("/settings/users");
    return undefined;
  }, "Saved.");
}
