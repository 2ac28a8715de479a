import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { saveMailbox } from "@/lib/mailboxes/save-mailbox";
import { getUptime } from "@/lib/health/get-uptime";
import { pruneHealthHistory } from "@/lib/health/prune-health-history";
import { recordHealthCheck } from "@/lib/health/record-health-check";
import type { CheckOutcome } from "@/lib/protocols/protocol-check";
import { formatUptime } from "@/components/health/format-uptime";
import { providers, startTestDatabase, type TestDatabase } from "@/e2e/support/test-database";

// Uptime (GROUP BY in the database) and pruning on both databases, with history rows placed at known
// times; and how recording a check keeps each protocol's latest status.

const actor = { id: null, label: "admin@example.com" };
const meta = { ip: "127.0.0.1", userAgent: "vitest" };
const HOUR = 3_600_000;
const imap = { protocol: "imap", direction: "inbound" } as const;

const passed: CheckOutcome = { ok: true, protocol: "imap", direction: "inbound", durationMs: 31, timings: {}, details: { messages: 3 } };
const refused: CheckOutcome = {
  ok: false,
  protocol: "imap",
  direction: "inbound",
  durationMs: 12,
  timings: {},
  errorClass: "protocol_disabled",
  stage: "auth",
  serverResponse: "AUTHENTICATE failed.",
  explanation: { title: "IMAP is turned off for this mailbox", explanation: "…", fix: "Set-CASMailbox …", actor: "admin", catalogCode: "imap_disabled", permanent: true },
};

describe.each(providers)("uptime, pruning and latest status on %s", (provider) => {
  let db: TestDatabase;
  let a = "";
  let b = "";
  const now = new Date();
  beforeAll(async () => {
    db = await startTestDatabase(provider);
    const { appRegistration } = await saveAppRegistration(
      null,
      { label: "Help desk", cloud: "global", tenant: "contoso.onmicrosoft.com", audience: "single_tenant", clientId: "5c1d92ab-7a3b-461a-b5ee-13aaec60c5ec", credentialType: "secret", clientSecret: "mDS2Q~L722.mykchcgGODfufbzgt6p0lcIuS4BHF", credentialExpiresAt: "2027-10-01" },
      actor,
      meta,
    );
    const save = async (address: string) => (await saveMailbox(null, { address, direction: "inbound", inboundProtocol: "imap", authMode: "delegated", appRegistrationId: appRegistration.id }, actor, meta)).mailbox.id;
    a = await save("a@contoso.com");
    b = await save("b@contoso.com");
  }, 120_000);
  afterAll(async () => db?.cleanup());

  const place = (mailboxId: string, hoursAgo: number, ok: boolean) =>
    getDb().healthCheck.create({ data: { mailboxId, ...imap, at: new Date(now.getTime() - hoursAgo * HOUR), durationMs: 20, ok, trigger: "sweep", errorClass: ok ? null : "auth_failed" } });

  it("uptime is the share of passed checks in the last 24 hours and 7 days, counted by the database", async () => {
    // a: last 24 h 3 passed, 1 failed; 2–6 days ago 2 more failed; 8 days ago (outside) 5 failed.
    for (const h of [1, 5, 23]) await place(a, h, true);
    await place(a, 10, false);
    for (const h of [50, 140]) await place(a, h, false);
    for (let i = 0; i < 5; i++) await place(a, 8 * 24 + i, false);
    // b: only 25 hours ago (outside 24 h, inside 7 d), passed.
    await place(b, 25, true);

    const uptime = await getUptime([a, b, "no-such-mailbox"], now);
    expect(uptime.get(a)).toEqual({ last24h: { ratio: 0.75, checks: 4, passed: 3 }, last7d: { ratio: 0.5, checks: 6, passed: 3 } });
    expect(uptime.get(b)).toEqual({ last24h: { ratio: null, checks: 0, passed: 0 }, last7d: { ratio: 1, checks: 1, passed: 1 } });
    expect(uptime.has("no-such-mailbox")).toBe(false);
    expect((await getUptime(null, now)).get(a)!.last7d.checks).toBe(6);
    expect(await getUptime([], now)).toEqual(new Map());

    expect(formatUptime(uptime.get(a)!.last24h)).toBe("75.0 %");
    expect(formatUptime(uptime.get(b)!.last24h)).toBe("—");
    expect(formatUptime({ ratio: 1999 / 2000, checks: 2000, passed: 1999 })).toBe("99.9 %"); // never rounded up to 100 %
  });

  it("pruning deletes checks and sweeps older than the retention and keeps the rest", async () => {
    await getDb().healthSweep.create({ data: { trigger: "schedule", holder: "x", startedAt: new Date(now.getTime() - 40 * 24 * HOUR) } });
    await getDb().healthSweep.create({ data: { trigger: "schedule", holder: "x", startedAt: new Date(now.getTime() - HOUR) } });
    const before = await getDb().healthCheck.count();
    const pruned = await pruneHealthHistory(new Date(now.getTime() - 7 * 24 * HOUR));
    expect(pruned).toEqual({ checks: 5, sweeps: 1 });
    expect(await getDb().healthCheck.count()).toBe(before - 5);
    expect(await getDb().healthCheck.count({ where: { at: { lt: new Date(now.getTime() - 7 * 24 * HOUR) } } })).toBe(0);
    expect(await getDb().healthSweep.count()).toBe(1);
    expect(await pruneHealthHistory(new Date(now.getTime() - 7 * 24 * HOUR))).toEqual({ checks: 0, sweeps: 0 });
  });

  it("recording a check keeps the latest status per protocol: when the failures began, when it last passed", async () => {
    await recordHealthCheck(b, imap, "manual", passed, null);
    const first = await getDb().healthStatus.findUniqueOrThrow({ where: { mailboxId_protocol_direction: { mailboxId: b, ...imap } } });
    expect(first).toMatchObject({ ok: true, failingSince: null, durationMs: 31, trigger: "manual" });

    await recordHealthCheck(b, imap, "sweep", refused, null);
    const failing = await getDb().healthStatus.findUniqueOrThrow({ where: { mailboxId_protocol_direction: { mailboxId: b, ...imap } } });
    expect(failing).toMatchObject({ ok: false, errorClass: "protocol_disabled", lastOkAt: first.lastOkAt });
    expect(failing.failingSince).toEqual(failing.checkedAt);
    expect(JSON.parse(failing.detail)).toMatchObject({ explanation: { title: "IMAP is turned off for this mailbox" }, serverResponse: "AUTHENTICATE failed." });

    await recordHealthCheck(b, imap, "sweep", null, { code: "needs_consent", title: "Sign-in needed", explanation: "…", fix: "…", actor: "mailbox_owner" });
    const still = await getDb().healthStatus.findUniqueOrThrow({ where: { mailboxId_protocol_direction: { mailboxId: b, ...imap } } });
    expect(still).toMatchObject({ ok: false, errorClass: "needs_consent", failingSince: failing.failingSince });

    await recordHealthCheck(b, imap, "manual", passed, null);
    const healed = await getDb().healthStatus.findUniqueOrThrow({ where: { mailboxId_protocol_direction: { mailboxId: b, ...imap } } });
    expect(healed).toMatchObject({ ok: true, failingSince: null, errorClass: null });
    expect(healed.lastOkAt!.getTime()).toBeGreaterThan(failing.checkedAt.getTime() - 1);
    expect(healed.lastOkAt).toEqual(healed.checkedAt);
    expect(await getDb().healthStatus.count()).toBe(1);
    expect(await getDb().healthCheck.count({ where: { mailboxId: b, trigger: { in: ["manual"] } } })).toBe(2);
  });
});
