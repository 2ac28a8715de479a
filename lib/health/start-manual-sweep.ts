import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { AppError } from "@/lib/errors";
import { logError } from "@/lib/log";
import { getHealthSettings } from "@/lib/health/health-settings";
import { runHealthSweep } from "@/lib/health/run-health-sweep";

// "Check all now": a sweep started by a person. It answers once the sweep holds the lease (or is refused
// because one is running) and carries on in the background; the dashboard follows it. No spread: the
// person is waiting; concurrency still bounds what the servers see.

export async function startManualSweep(actor: AuditActor, meta: RequestMeta): Promise<{ sweepId: string }> {
  const settings = getHealthSettings();
  const sweepId = await new Promise<string | null>((resolve, reject) => {
    let started = false;
    runHealthSweep({
      trigger: "manual",
      settings: { ...settings, spreadMs: 0 },
      onStarted: (id) => {
        started = true;
        resolve(id);
      },
    })
      .then((result) => {
        if (!result.ran) resolve(null);
      })
      .catch((error: unknown) => {
        if (!started) reject(error);
        else logError("The manual health sweep failed after it started", error);
      });
  });
  if (!sweepId) throw new AppError("conflict", "A sweep is running already (here or on another instance). The dashboard shows its results when it ends.");
  await recordAuditEvent({ actor, action: "health.sweep_started", target: { type: "health_sweep", id: sweepId }, meta });
  return { sweepId };
}
