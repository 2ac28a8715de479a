import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { HealthChart } from "@/components/health/health-chart";

const to = new Date("2026-11-21T12:00:00Z");
const from = new Date(to.getTime() - 3_600_000);
const at = (minutesAgo: number) => new Date(to.getTime() - minutesAgo * 60_000);

describe("HealthChart", () => {
  it("draws a latency line per protocol from passed checks and a mark per check, red for failures", () => {
    const html = renderToStaticMarkup(
      createElement(HealthChart, {
        from,
        to,
        points: [
          { at: at(50), protocol: "imap", direction: "inbound", ok: true, durationMs: 30 },
          { at: at(35), protocol: "imap", direction: "inbound", ok: false, durationMs: 20_000 },
          { at: at(20), protocol: "imap", direction: "inbound", ok: true, durationMs: 45 },
          { at: at(20), protocol: "smtp", direction: "outbound", ok: true, durationMs: 60 },
        ],
      }),
    );
    expect(html.match(/<polyline/g)).toHaveLength(2);
    expect(html.match(/data-ok="false"/g)).toHaveLength(1);
    expect(html.match(/data-ok="true"/g)).toHaveLength(3);
    // The 20-second timeout stays out of the scale: the axis tops out near the slowest passed check.
    expect(html).toContain(">100 ms<");
    expect(html).toContain("4 checks from 2026-11-21 11:00 UTC to 2026-11-21 12:00 UTC: 3 passed, 1 failed.");
    expect(html).toContain("IMAP inbound · failed · 20000 ms");
  });

  it("says so when there is nothing to draw", () => {
    expect(renderToStaticMarkup(createElement(HealthChart, { from, to, points: [] }))).toContain("No checks in the last 7 days yet");
  });
});
