"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/action-result";
import { actorOf, getRequestMeta, requireUser } from "@/lib/auth/session";
import { startManualSweep } from "@/lib/health/start-manual-sweep";

/** Check all now: starts a sweep over every connected mailbox; the dashboard follows it. */
export async function startSweepAction(): Promise<ActionResult<{ sweepId: string }>> {
  return runAction("start health sweep", async () => {
    const user = await requireUser("health.run");
    const started = await startManualSweep(actorOf(user), await getRequestMeta());
    revalidatePath("/dashboard");
    return started;
  });
}
