import { toPublicError } from "@/lib/errors";
import { requireUser } from "@/lib/auth/session";
import { exportMailboxesCsv } from "@/lib/mailboxes/mailbox-csv";
import { mailboxListQuerySchema } from "@/lib/mailboxes/list-mailboxes";
import { parseInput } from "@/lib/validation";

export const dynamic = "force-dynamic";

/** GET /mailboxes/export: the filtered mailbox settings as CSV (never secrets). */
export async function GET(request: Request) {
  try {
    const query = parseInput(mailboxListQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
    await requireUser("mailboxes.read");
    const csv = await exportMailboxesCsv(query);
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="mailboxes-${new Date().toISOString().slice(0, 10)}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    const { status, ...body } = toPublicError(e, "export mailboxes");
    return Response.json(body, { status });
  }
}
