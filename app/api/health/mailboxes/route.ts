import { AppError, toPublicError } from "@/lib/errors";
import { requireUser } from "@/lib/auth/session";
import { getMailboxHealthReport } from "@/lib/health/get-mailbox-health-report";
import { checkMetricsToken, hasBearer } from "@/lib/health/metrics-token";

export const dynamic = "force-dynamic";

/**
 * GET /api/health/mailboxes: overall and per-mailbox health as JSON. For a signed-in user who may read
 * the dashboard, or a monitoring system sending METRICS_TOKEN as its bearer token.
 */
export async function GET(request: Request) {
  try {
    const authorization = request.headers.get("authorization");
    if (hasBearer(authorization)) {
      if (checkMetricsToken(authorization) !== "valid") throw new AppError("unauthenticated", "The bearer token is not valid for this portal's monitoring endpoints (METRICS_TOKEN).");
    } else {
      await requireUser("dashboard.read");
    }
    return Response.json(await getMailboxHealthReport(), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    const { status, ...body } = toPublicError(e, "mailbox health report");
    return Response.json(body, { status, headers: status === 401 ? { "www-authenticate": 'Bearer realm="metrics"', "cache-control": "no-store" } : { "cache-control": "no-store" } });
  }
}
