import { describe, expect, it } from "vitest";
import { credentialLevel, DAY_MS, decideNotification, inactivityDaysLeft, type StoredState } from "@/lib/notify/notification-rules";

// The clock is injected: a day passes in a line, not in a test run.
const t0 = new Date("2026-03-01T08:00:00Z");
const at = (hours: number) => new Date(t0.getTime() + hours * 3600_000);
const daily = { remindDaily: true };

/** Applies each decision's write, like the evaluation does, and returns the events seen. */
function run(family: Parameters<typeof decideNotification>[0], steps: Array<[Date, string]>, options = daily) {
  let stored: StoredState | null = null;
  const seen: string[] = [];
  for (const [now, state] of steps) {
    const d = decideNotification(family, stored, state, now, options);
    if (d.event) seen.push(`${d.event}${d.reminder ? " (reminder)" : ""}`);
    if (d.write) stored = d.write;
  }
  return seen;
}

describe("mailbox: one notification per state change", () => {
  it("tells failing once however often it is evaluated, then recovered once", () => {
    expect(run("mailbox", [[at(0), "ok"], [at(0.1), "failing"], [at(0.2), "failing"], [at(0.3), "failing"], [at(1), "ok"], [at(1.1), "ok"]])).toEqual([
      "mailbox.failing",
      "mailbox.recovered",
    ]);
  });

  it("records a first sighting of a healthy or unconnected mailbox without a word", () => {
    expect(run("mailbox", [[at(0), "ok"]])).toEqual([]);
    expect(run("mailbox", [[at(0), "inactive"], [at(1), "ok"]])).toEqual([]);
  });

  it("tells a problem seen for the first time (nobody was told yet)", () => {
    expect(run("mailbox", [[at(0), "needs_consent"]])).toEqual(["mailbox.needs_consent"]);
  });

  it("tells the switch between failing and needs consent, and no recovery for a disconnected mailbox", () => {
    expect(run("mailbox", [[at(0), "failing"], [at(1), "needs_consent"], [at(2), "inactive"], [at(3), "ok"]])).toEqual(["mailbox.failing", "mailbox.needs_consent"]);
  });
});

describe("reminders at most daily", () => {
  it("reminds after 24 hours, not before, and then again a day after the reminder", () => {
    expect(
      run("mailbox", [
        [at(0), "failing"],
        [at(12), "failing"],
        [at(23.9), "failing"],
        [at(24), "failing"],
        [at(30), "failing"],
        [at(47.9), "failing"],
        [at(48), "failing"],
      ]),
    ).toEqual(["mailbox.failing", "mailbox.failing (reminder)", "mailbox.failing (reminder)"]);
  });

  it("sends no reminders when they are turned off", () => {
    expect(run("mailbox", [[at(0), "failing"], [at(24), "failing"], [at(72), "failing"]], { remindDaily: false })).toEqual(["mailbox.failing"]);
  });

  it("a state change in between restarts the day", () => {
    expect(run("mailbox", [[at(0), "failing"], [at(20), "ok"], [at(21), "failing"], [at(30), "failing"], [at(45), "failing"]])).toEqual([
      "mailbox.failing",
      "mailbox.recovered",
      "mailbox.failing",
      "mailbox.failing (reminder)",
    ]);
  });

  it("a reminder carries the state's start, and no reminder for healthy subjects", () => {
    const first = decideNotification("mailbox", null, "failing", at(0), daily);
    const reminder = decideNotification("mailbox", first.write, "failing", at(24), daily);
    expect(reminder).toMatchObject({ event: "mailbox.failing", reminder: true, write: { state: "failing", since: at(0), lastNotified: at(24) } });
    const healthy = decideNotification("mailbox", { state: "ok", since: at(0), lastNotified: null }, "ok", at(100), daily);
    expect(healthy).toEqual({ event: null, reminder: false, write: null });
  });
});

describe("app credential expiry thresholds 30/14/7", () => {
  const expires = new Date("2026-04-30T12:00:00Z");
  const daysBefore = (d: number) => new Date(expires.getTime() - d * DAY_MS);

  it("maps days left to levels, rounding up as the app registration page does", () => {
    expect(credentialLevel(null, t0)).toBe("ok");
    expect(credentialLevel(expires, daysBefore(31))).toBe("ok");
    expect(credentialLevel(expires, daysBefore(30))).toBe("expiring_30");
    expect(credentialLevel(expires, daysBefore(14.5))).toBe("expiring_30");
    expect(credentialLevel(expires, daysBefore(14))).toBe("expiring_14");
    expect(credentialLevel(expires, daysBefore(7.01))).toBe("expiring_14");
    expect(credentialLevel(expires, daysBefore(7))).toBe("expiring_7");
    expect(credentialLevel(expires, daysBefore(0.01))).toBe("expiring_7");
    expect(credentialLevel(expires, expires)).toBe("expired");
    expect(credentialLevel(expires, daysBefore(-3))).toBe("expired");
  });

  it("tells each threshold once on the way down, daily only from 7 days, and nothing when renewed", () => {
    const steps: Array<[Date, string]> = [];
    for (let d = 35; d >= -2; d--) steps.push([daysBefore(d), credentialLevel(expires, daysBefore(d))]);
    const seen = run("credential", steps);
    expect(seen.slice(0, 3)).toEqual(["app.credential_expiring", "app.credential_expiring", "app.credential_expiring"]);
    // 30 (day 30), 14 (day 14), 7 (day 7), then a reminder on days 6..1, expired on day 0, reminders on -1, -2.
    expect(seen.filter((e) => !e.includes("reminder"))).toHaveLength(4);
    expect(seen.filter((e) => e.includes("reminder"))).toHaveLength(8);
    expect(run("credential", [[daysBefore(10), "expiring_14"], [daysBefore(9), "ok"], [daysBefore(8), "ok"]])).toEqual(["app.credential_expiring"]);
  });

  it("a first sighting inside 14 days tells once, not also the 30-day step", () => {
    expect(run("credential", [[daysBefore(10), credentialLevel(expires, daysBefore(10))], [daysBefore(9), credentialLevel(expires, daysBefore(9))]])).toEqual([
      "app.credential_expiring",
    ]);
  });
});

describe("refresh token inactivity", () => {
  it("counts days as the token status board does and warns once at ≤ 14, reminding daily", () => {
    const issued = new Date("2026-01-01T00:00:00Z");
    expect(inactivityDaysLeft(issued, new Date("2026-01-01T00:00:00Z"))).toBe(90);
    expect(inactivityDaysLeft(issued, new Date(issued.getTime() + 76 * DAY_MS))).toBe(14);
    expect(run("inactivity", [[at(0), "ok"], [at(1), "expiring"], [at(2), "expiring"], [at(25), "expiring"], [at(26), "ok"]])).toEqual([
      "grant.refresh_token_expiring",
      "grant.refresh_token_expiring (reminder)",
    ]);
  });
});
