import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { toMailboxView, mailboxViewSelect, type MailboxView } from "@/lib/mailboxes/mailbox-view";
import { directionSchema } from "@/lib/mailboxes/mailbox-form";
import { cloudIdSchema } from "@/lib/microsoft/clouds";
import { protocolSchema } from "@/lib/microsoft/protocols";

// The mailbox list: filtered, sorted and paged in the database (indexed columns), never loaded whole.

const optional = <T extends z.ZodType>(schema: T) => z.union([z.literal("").transform(() => undefined), schema]).optional();

export const mailboxListQuerySchema = z.object({
  q: z.string().trim().max(200).optional().transform((v) => v || undefined),
  protocol: optional(protocolSchema),
  direction: optional(directionSchema),
  cloud: optional(cloudIdSchema),
  tenant: z.string().trim().max(200).optional().transform((v) => v?.toLowerCase() || undefined),
  app: z.string().trim().max(100).optional().transform((v) => v || undefined),
  tag: z.string().trim().toLowerCase().max(40).optional().transform((v) => v || undefined),
  sort: z.enum(["address", "displayName", "createdAt", "updatedAt"]).default("address"),
  order: z.enum(["asc", "desc"]).default("asc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(10).max(200).default(50),
});
export type MailboxListQuery = z.infer<typeof mailboxListQuerySchema>;

export interface MailboxPage {
  rows: MailboxView[];
  total: number;
  page: number;
  pages: number;
}

export function mailboxWhere(query: Omit<MailboxListQuery, "sort" | "order" | "page" | "pageSize">) {
  return {
    ...(query.q ? { OR: [{ address: { contains: query.q.toLowerCase() } }, { displayName: { contains: query.q } }] } : {}),
    ...(query.protocol ? { AND: [{ OR: [{ inboundProtocol: query.protocol }, { outboundProtocol: query.protocol }] }] } : {}),
    ...(query.direction ? { direction: query.direction } : {}),
    ...(query.app ? { appRegistrationId: query.app } : {}),
    ...(query.tag ? { tags: { contains: `,${query.tag},` } } : {}),
    ...(query.cloud || query.tenant
      ? { appRegistration: { ...(query.cloud ? { cloud: query.cloud } : {}), ...(query.tenant ? { tenant: query.tenant } : {}) } }
      : {}),
  };
}

export async function listMailboxes(query: MailboxListQuery): Promise<MailboxPage> {
  const where = mailboxWhere(query);
  const db = getDb();
  const [total, rows] = await Promise.all([
    db.mailbox.count({ where }),
    db.mailbox.findMany({
      where,
      select: mailboxViewSelect,
      orderBy: [{ [query.sort]: query.order }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { rows: rows.map(toMailboxView), total, page: query.page, pages: Math.max(1, Math.ceil(total / query.pageSize)) };
}
