import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { mailboxWhere, type MailboxListQuery } from "@/lib/mailboxes/list-mailboxes";
import { mailboxViewSelect, toMailboxView } from "@/lib/mailboxes/mailbox-view";
import { saveMailbox } from "@/lib/mailboxes/save-mailbox";

// Mailbox settings as CSV, for bulk edits and moving between installations. Never a secret: a mailbox
// row has none (credentials live on the app registration, tokens on the grant). The app registration
// is named by its label, so a file moves between installations that use the same labels.

export const csvColumns = [
  "address",
  "displayName",
  "direction",
  "inboundProtocol",
  "inboundHost",
  "inboundPort",
  "inboundSecurity",
  "outboundProtocol",
  "outboundHost",
  "outboundPort",
  "outboundSecurity",
  "authMode",
  "appRegistration",
  "signingIdentity",
  "ownerEmail",
  "tags",
] as const;

const EXPORT_BATCH = 1000;

/** The CSV of every mailbox matching the list's filters, read in batches. */
export async function exportMailboxesCsv(query: Omit<MailboxListQuery, "page" | "pageSize">): Promise<string> {
  const where = mailboxWhere(query);
  const lines: string[] = [stringify([csvColumns as unknown as string[]])];
  let cursor: string | undefined;
  for (;;) {
    const rows = await getDb().mailbox.findMany({
      where,
      select: mailboxViewSelect,
      orderBy: { id: "asc" },
      take: EXPORT_BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (rows.length === 0) break;
    const records = rows.map(toMailboxView).map((m) => [
      m.address,
      m.displayName,
      m.direction,
      m.inboundProtocol ?? "",
      m.inboundHost ?? "",
      m.inboundPort ?? "",
      m.inboundSecurity ?? "",
      m.outboundProtocol ?? "",
      m.outboundHost ?? "",
      m.outboundPort ?? "",
      m.outboundSecurity ?? "",
      m.authMode,
      m.appRegistration.label,
      m.signingIdentity ?? "",
      m.ownerEmail ?? "",
      m.tags.join(";"),
    ]);
    lines.push(stringify(records));
    cursor = rows[rows.length - 1]!.id;
  }
  return lines.join("");
}

export interface ImportRowReport {
  /** Line number in the file (the header is line 1). */
  line: number;
  address: string;
  outcome: "created" | "updated" | "rejected";
  errors: Record<string, string>;
  warnings: Record<string, string>;
}

export const MAX_IMPORT_ROWS = 5000;

/**
 * Imports mailbox rows. A row whose address and protocols match an existing mailbox updates it;
 * others are created. Each row is validated exactly like the form; rejected rows change nothing
 * and are reported with the reason per column.
 */
export async function importMailboxesCsv(csv: string, actor: AuditActor, meta: RequestMeta): Promise<ImportRowReport[]> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (e) {
    throw new AppError("validation", `The file is not valid CSV: ${e instanceof Error ? e.message.split("\n")[0] : "unreadable"}.`, {
      file: "The file is not valid CSV. Export the mailboxes first and use that file as the template.",
    });
  }
  if (records.length === 0) throw new AppError("validation", "The file has no mailbox rows.", { file: "The file has a header but no rows." });
  if (records.length > MAX_IMPORT_ROWS) {
    throw new AppError("validation", `The file has ${records.length} rows; import at most ${MAX_IMPORT_ROWS} at a time.`, { file: `Split the file into parts of at most ${MAX_IMPORT_ROWS} rows.` });
  }
  const missing = ["address", "direction", "authMode", "appRegistration"].filter((c) => !(c in records[0]!));
  if (missing.length > 0) {
    throw new AppError("validation", `The header lacks ${missing.join(", ")}.`, { file: `The first line must name the columns: ${csvColumns.join(",")}.` });
  }

  const apps = await getDb().appRegistration.findMany({ select: { id: true, label: true } });
  const appByLabel = new Map(apps.map((a) => [a.label.toLowerCase(), a.id]));
  const reports: ImportRowReport[] = [];
  for (const [i, record] of records.entries()) {
    const line = i + 2;
    const address = (record.address ?? "").trim().toLowerCase();
    const appId = appByLabel.get((record.appRegistration ?? "").trim().toLowerCase());
    if (!appId) {
      reports.push({ line, address, outcome: "rejected", errors: { appRegistration: `No app registration is named “${record.appRegistration ?? ""}”.` }, warnings: {} });
      continue;
    }
    const existing = await getDb().mailbox.findFirst({
      where: {
        address,
        inboundProtocol: record.inboundProtocol || null,
        outboundProtocol: record.outboundProtocol || null,
      },
      select: { id: true },
    });
    try {
      const outcome = await saveMailbox(
        existing?.id ?? null,
        { ...record, tags: (record.tags ?? "").replaceAll(";", ","), appRegistrationId: appId },
        actor,
        meta,
      );
      reports.push({ line, address, outcome: outcome.created ? "created" : "updated", errors: {}, warnings: outcome.warnings });
    } catch (e) {
      if (e instanceof AppError && e.code === "validation") {
        reports.push({ line, address, outcome: "rejected", errors: e.fieldErrors ?? { row: e.safeMessage }, warnings: {} });
      } else throw e;
    }
  }
  await recordAuditEvent({
    actor,
    action: "mailbox.imported",
    target: { type: "mailbox", label: `${records.length} rows` },
    meta,
    details: {
      created: reports.filter((r) => r.outcome === "created").length,
      updated: reports.filter((r) => r.outcome === "updated").length,
      rejected: reports.filter((r) => r.outcome === "rejected").length,
    },
  });
  return reports;
}
