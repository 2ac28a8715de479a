import { toPublicError, type PublicError } from "@/lib/errors";

// What every server action returns to its form: success with optional data, or a public error whose
// field errors are shown beside the inputs. Unexpected errors are logged and shown with a reference ID.

export type ActionResult<T = undefined> = { ok: true; data: T; message?: string } | ({ ok: false } & PublicError);

export async function runAction<T>(context: string, fn: () => Promise<T>, message?: string): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn(), message };
  } catch (error) {
    // Next's redirect()/forbidden() signal by throwing; let them through.
    if (error instanceof Error && "digest" in error && typeof error.digest === "string" && error.digest.startsWith("NEXT_")) throw error;
    const { status: _status, ...publicError } = toPublicError(error, context);
    return { ok: false, ...publicError };
  }
}
