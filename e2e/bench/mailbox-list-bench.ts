import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createFirstAdmin } from "@/lib/auth/users";
import { listMailboxes, mailboxListQuerySchema } from "@/lib/mailboxes/list-mailboxes";
import { seedMailboxes } from "@/lib/mailboxes/seed-mailboxes";
import { startTestDatabase } from "../support/test-database";
import { startPortalProcess } from "./portal-process";
import { summarize } from "./stats";

// The mailbox list with 10,000 mailboxes: the domain query in process, and the whole page over HTTP
// from the built portal (server time as the client sees it, on loopback).

const MAILBOXES = 10_000;
const ROUNDS = 30;

const queries: { name: string; search: Record<string, string> }[] = [
  { name: "first page", search: {} },
  { name: "search 'mailbox0999'", search: { q: "mailbox0999" } },
  { name: "protocol imap + tag vip", search: { protocol: "imap", tag: "vip" } },
  { name: "cloud usgov-gcchigh, sort by name desc", search: { cloud: "usgov-gcchigh", sort: "displayName", order: "desc" } },
  { name: "last page", search: { page: String(MAILBOXES / 50) } },
];

export async function benchMailboxList(): Promise<Record<string, unknown>> {
  const db = await startTestDatabase("sqlite");
  const password = "benchmark password 123";
  try {
    await createFirstAdmin({ email: "bench@example.com", name: "Bench", password, confirmPassword: password }, { ip: null, userAgent: null });
    const seedStart = performance.now();
    await seedMailboxes(MAILBOXES);
    const seedMs = performance.now() - seedStart;

    const domain: Record<string, ReturnType<typeof summarize>> = {};
    for (const q of queries) {
      const parsed = mailboxListQuerySchema.parse(q.search);
      const samples: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t = performance.now();
        const page = await listMailboxes(parsed);
        samples.push(performance.now() - t);
        if (page.rows.length === 0) throw new Error(`Query "${q.name}" found nothing: the benchmark data is wrong.`);
      }
      domain[q.name] = summarize(samples);
    }

    const portal = await startPortalProcess({ PORTAL_DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl });
    const http: Record<string, ReturnType<typeof summarize>> = {};
    try {
      const cookie = await portal.signIn("bench@example.com", password);
      for (const q of queries) {
        const url = `${portal.url}/mailboxes?${new URLSearchParams(q.search).toString()}`;
        await fetch(url, { headers: { cookie } }); // warm-up
        const samples: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const t = performance.now();
          const res = await fetch(url, { headers: { cookie } });
          const html = await res.text();
          samples.push(performance.now() - t);
          if (res.status !== 200 || !html.includes("mailboxes-table")) throw new Error(`GET ${url} answered ${res.status} without the table.`);
        }
        http[q.name] = summarize(samples);
      }
    } finally {
      await portal.stop();
    }
    const dbBytes = fs.statSync(path.join(db.dataDir, "portal.db")).size;
    return { mailboxes: MAILBOXES, seedMs: Math.round(seedMs), sqliteFileMiB: Math.round((dbBytes / 1048576) * 10) / 10, cpu: os.cpus()[0]?.model, domainMs: domain, pageMs: http };
  } finally {
    await db.cleanup();
  }
}
