import { getReadiness } from "@/lib/system/get-readiness";

export const dynamic = "force-dynamic";

/** Public liveness/readiness: 200 when the portal can serve, 503 with the failing check otherwise. */
export async function GET() {
  const readiness = await getReadiness();
  return Response.json(readiness, {
    status: readiness.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
