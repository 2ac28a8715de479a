"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/action-result";
import { actorOf, getRequestMeta, requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { importMailboxesCsv, type ImportRowReport } from "@/lib/mailboxes/mailbox-csv";
import { deleteMailbox, saveMailbox } from "@/lib/mailboxes/save-mailbox";

export async function saveMailboxAction(id: string | null, formData: FormData): Promise<ActionResult<{ id: string; warnings: Record<string, string> }>> {
  return runAction("save mailbox", async () => {
    const admin = await requireUser("mailboxes.write");
    const outcome = await saveMailbox(id, Object.fromEntries(formData), actorOf(admin), await getRequestMeta());
    revalidatePath("/mailboxes");
    return { id: outcome.mailbox.id, warnings: outcome.warnings };
  }, "Saved.");
}

export async function deleteMailboxAction(id: string): Promise<ActionResult> {
  return runAction("delete mailbox", async () => {
    const admin = await requireUser("mailboxes.write");
    await deleteMailbox(String(id), actorOf(admin), await getRequestMeta());
    revalidatePath("/mailboxes");
    return undefined;
  });
}

const MAX_CSV_BYTES = 5 * 1024 * 1024;

export async function importMailboxesAction(formData: FormData): Promise<ActionResult<ImportRowReport[]>> {
  return runAction("import mailboxes", async () => {
    const admin = await requireUser("mailboxes.write");
    const file = formData.get("file");
    if (!(file instanceof File) || file.size === 0) throw new AppError("validation", "Choose a CSV file.", { file: "Choose a CSV file exported from this portal or made like one." });
    if (file.size > MAX_CSV_BYTES) throw new AppError("validation", "The file is larger than 5 MB.", { file: "Split the file: at most 5 MB per import." });
    const reports = await importMailboxesCsv(await file.text(), actorOf(admin), await getRequestMeta());
    revalidatePath("/mailboxes");
    return reports;
  });
}
