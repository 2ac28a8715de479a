import { getDb } from "@/lib/db/client";
import type { ProtocolUse } from "@/lib/microsoft/protocols";
import type { CheckOutcome } from "@/lib/protocols/protocol-check";
import { observeHealthCheck } from "@/lib/health/health-metrics";

// Keeps the history: one HealthCheck row per protocol check, with the explanation and never a token, and
// the use's HealthStatus (its latest check) in the same transaction, so readers of the current state never
// scan the history. Also counts the check for /api/metrics.

export type CheckTrigger = "manual" | "connect" | "sweep";

export interface TokenProblem {
  code: string;
  title: string;
  explanation: string;
  fix: string;
  actor: string;
}

export async function recordHealthCheck(mailboxId: string, use: ProtocolUse, trigger: CheckTrigger, outcome: CheckOutcome | null, tokenProblem: TokenProblem | null): Promise<void> {
  const detail = JSON.stringify(
    outcome
      ? outcome.ok
        ? { details: outcome.details, timings: outcome.timings }
        : { explanation: outcome.explanation, serverResponse: outcome.serverResponse ?? null, diagnosis: outcome.diagnosis ?? null, stage: outcome.stage, timings: outcome.timings }
      : { explanation: tokenProblem },
  );
  const ok = outcome?.ok === true;
  const errorClass = outcome ? (outcome.ok ? null : outcome.errorClass) : (tokenProblem?.code ?? "no_token");
  const durationMs = Math.round(outcome?.durationMs ?? 0);
  const at = new Date();
  const key = { mailboxId, protocol: use.protocol, direction: use.direction };
  const db = getDb();
  const latest = { checkedAt: at, ok, durationMs, trigger, errorClass, detail };
  await db.$transaction([
    db.healthCheck.create({ data: { ...key, at, durationMs, ok, trigger, errorClass, detail } }),
    db.healthStatus.upsert({
      where: { mailboxId_protocol_direction: key },
      create: { ...key, ...latest, lastOkAt: ok ? at : null, failingSince: ok ? null : at },
      update: ok ? { ...latest, lastOkAt: at, failingSince: null } : latest,
    }),
    // A failure keeps the start of the current run of failures; only the first one sets it.
    ...(ok ? [] : [db.healthStatus.updateMany({ where: { ...key, failingSince: null }, data: { failingSince: at } })]),
  ]);
  observeHealthCheck(use.protocol, use.direction, ok ? "ok" : (errorClass ?? "unknown"), outcome ? outcome.durationMs : null);
}
