import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { readCheckDetail } from "@/lib/health/check-explanation";
import { getUptime, uptimeOf } from "@/lib/health/get-uptime";
import { countByState, listMailboxStates } from "@/lib/health/list-mailbox-states";
import { mailboxHealthStates } from "@/lib/health/mailbox-health-state";

// GET /api/health/mailboxes: overall and per mailbox health for monitoring systems. The response is
// parsed through this schema before it leaves, so only these fields can ever be sent: states, times,
// counts, error classes and the catalog's titles (never a token, server text or grant detail).

const uptimeSchema = z.object({ ratio: z.number().nullable(), checks: z.number().int(), passed: z.number().int() });

export const mailboxHealthReportSchema = z.object({
  status: z.enum(["ok", "degraded", "failing"]),
  generatedAt: z.string(),
  counts: z.object(Object.fromEntries(mailboxHealthStates.map((s) => [s, z.number().int()])) as Record<(typeof mailboxHealthStates)[number], z.ZodNumber>),
  lastSweep: z
    .object({ startedAt: z.string(), finishedAt: z.string().nullable(), mailboxes: z.number().int(), checks: z.number().int(), failures: z.number().int() })
    .nullable(),
  mailboxes: z.array(
    z.object({
      id: z.string(),
      address: z.string(),
      state: z.enum(mailboxHealthStates),
      failingSince: z.string().nullable(),
      uptime: z.object({ last24h: uptimeSchema, last7d: uptimeSchema }),
      checks: z.array(
        z.object({
          protocol: z.string(),
          direction: z.string(),
          ok: z.boolean().nullable(),
          checkedAt: z.string().nullable(),
          durationMs: z.number().int().nullable(),
          errorClass: z.string().nullable(),
          /** The catalog's title of the failure and who must act, for a human reading an alert. */
          problem: z.string().nullable(),
          actor: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type MailboxHealthReport = z.infer<typeof mailboxHealthReportSchema>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function getMailboxHealthReport(now: Date = new Date()): Promise<MailboxHealthReport> {
  const db = getDb();
  const [states, uptime, failing, lastSweep] = await Promise.all([
    listMailboxStates(),
    getUptime(null, now),
    db.healthStatus.findMany({ where: { ok: false }, select: { mailboxId: true, protocol: true, direction: true, detail: true, errorClass: true } }),
    db.healthSweep.findFirst({ orderBy: { startedAt: "desc" } }),
  ]);
  const failingByUse = new Map(failing.map((s) => [`${s.mailboxId}|${s.protocol}|${s.direction}`, s]));
  const counts = countByState(states);
  const status = counts.failing + counts.needs_consent > 0 ? "failing" : counts.degraded > 0 ? "degraded" : "ok";
  return mailboxHealthReportSchema.parse({
    status,
    generatedAt: now.toISOString(),
    counts,
    lastSweep: lastSweep
      ? { startedAt: lastSweep.startedAt.toISOString(), finishedAt: iso(lastSweep.finishedAt), mailboxes: lastSweep.mailboxes, checks: lastSweep.checks, failures: lastSweep.failures }
      : null,
    mailboxes: states.map((m) => ({
      id: m.id,
      address: m.address,
      state: m.state,
      failingSince: iso(m.failingSince),
      uptime: uptimeOf(uptime, m.id),
      checks: m.uses.map((u) => {
        const f = u.ok === false ? failingByUse.get(`${m.id}|${u.protocol}|${u.direction}`) : undefined;
        const explanation = f ? readCheckDetail(f.detail, f.errorClass).explanation : null;
        return {
          protocol: u.protocol,
          direction: u.direction,
          ok: u.ok,
          checkedAt: iso(u.checkedAt),
          durationMs: u.durationMs,
          errorClass: u.errorClass,
          problem: explanation?.title ?? null,
          actor: explanation?.actor ?? null,
        };
      }),
    })),
  });
}
