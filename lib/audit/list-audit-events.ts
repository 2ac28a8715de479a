import { z } from "zod";
import { getDb } from "@/lib/db/client";

export const auditFilterSchema = z.object({
  actor: z.string().trim().max(200).optional().transform((v) => v || undefined),
  action: z.string().trim().max(100).optional().transform((v) => v || undefined),
  from: z.iso.date().optional().or(z.literal("").transform(() => undefined)),
  to: z.iso.date().optional().or(z.literal("").transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const AUDIT_PAGE_SIZE = 50;

export interface AuditEventRow {
  id: string;
  at: Date;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetLabel: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

/** Newest first; dates are whole UTC days, `to` inclusive. */
export async function listAuditEvents(filter: AuditFilter): Promise<{ rows: AuditEventRow[]; total: number; pages: number }> {
  const where = {
    ...(filter.actor ? { actorLabel: { contains: filter.actor } } : {}),
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.from || filter.to
      ? {
          at: {
            ...(filter.from ? { gte: new Date(`${filter.from}T00:00:00Z`) } : {}),
            ...(filter.to ? { lt: new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
          },
        }
      : {}),
  };
  const db = getDb();
  const [total, rows] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (filter.page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
    }),
  ]);
  return {
    total,
    pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    rows: rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> })),
  };
}

export async function listAuditActions(): Promise<string[]> {
  const rows = await getDb().auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}
