import { toPublicError } from "@/lib/errors";
import { collectHealthMetrics } from "@/lib/health/collect-health-metrics";
import { checkMetricsToken } from "@/lib/health/metrics-token";

export const dynamic = "force-dynamic";

const text = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers } });

/** GET /api/metrics: Prometheus text, for a scraper holding METRICS_TOKEN as its bearer token. */
export async function GET(request: Request) {
  const token = checkMetricsToken(request.headers.get("authorization"));
  if (token === "not_configured") {
    return text("Metrics are turned off. To turn them on, set METRICS_TOKEN (16 characters or more, e.g. openssl rand -hex 24) on every instance, restart, and scrape with the header Authorization: Bearer <METRICS_TOKEN>.\n", 404);
  }
  if (token !== "valid") {
    return text("A valid bearer token is required: send Authorization: Bearer <METRICS_TOKEN>.\n", 401, { "www-authenticate": 'Bearer realm="metrics"' });
  }
  try {
    return text(await collectHealthMetrics(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  } catch (e) {
    const { status, message } = toPublicError(e, "collect metrics");
    return text(`${message}\n`, status);
  }
}
