import type { HealthPoint } from "@/lib/health/get-mailbox-health-history";

// Outcome and latency over time as inline SVG (no chart library, no client JavaScript): latency of the
// checks that passed as one line per protocol, and below it one lane per protocol with a mark per check,
// green when it passed and red when it failed. Failed checks stay out of the latency scale: a 20-second
// timeout would flatten every normal check to the baseline.

const WIDTH = 720;
const PLOT_TOP = 8;
const PLOT_HEIGHT = 120;
const LANE_HEIGHT = 14;
const LEFT = 48;
const RIGHT = 8;
const colors = ["#1d4ed8", "#7c3aed", "#0f766e", "#c2410c", "#be185d"];
const protocolNames: Record<string, string> = { imap: "IMAP", pop3: "POP3", smtp: "SMTP", graph: "Graph", ews: "EWS" };

const seriesKey = (p: Pick<HealthPoint, "protocol" | "direction">) => `${p.protocol} ${p.direction}`;
const seriesLabel = (key: string) => {
  const [protocol = "", direction = ""] = key.split(" ");
  return `${protocolNames[protocol] ?? protocol} ${direction}`;
};

/** 1, 2, 5 × 10^n at or above the value: axis labels people can read. */
function niceCeiling(value: number): number {
  const exp = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  return ([1, 2, 5, 10].map((m) => m * exp).find((n) => n >= value) ?? 10 * exp) as number;
}

const formatStamp = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export function HealthChart({ points, from, to }: { points: HealthPoint[]; from: Date; to: Date }) {
  const keys = [...new Set(points.map(seriesKey))].sort();
  if (points.length === 0) {
    return <p className="text-sm text-slate-600">No checks in the last 7 days yet. Test now, or wait for the next sweep.</p>;
  }
  const plotWidth = WIDTH - LEFT - RIGHT;
  const span = Math.max(1, to.getTime() - from.getTime());
  const x = (d: Date) => LEFT + ((d.getTime() - from.getTime()) / span) * plotWidth;
  const okLatencies = points.filter((p) => p.ok).map((p) => p.durationMs);
  const yMax = niceCeiling(Math.max(10, ...okLatencies) * 1.1);
  const y = (ms: number) => PLOT_TOP + PLOT_HEIGHT - (Math.min(ms, yMax) / yMax) * PLOT_HEIGHT;
  const lanesTop = PLOT_TOP + PLOT_HEIGHT + 22;
  const height = lanesTop + keys.length * LANE_HEIGHT + 18;
  const markWidth = Math.max(1.5, Math.min(6, plotWidth / Math.max(1, points.length / Math.max(1, keys.length)) - 0.5));
  const failures = points.filter((p) => !p.ok).length;
  const summary = `${points.length} checks from ${formatStamp(from)} to ${formatStamp(to)}: ${points.length - failures} passed, ${failures} failed.`;

  return (
    <figure className="space-y-2" data-testid="health-chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} className="h-auto w-full" role="img" aria-labelledby="health-chart-title health-chart-desc">
        <title id="health-chart-title">Check outcome and latency</title>
        <desc id="health-chart-desc">{summary}</desc>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(yMax * f)} y2={y(yMax * f)} stroke="#e2e8f0" />
            <text x={LEFT - 6} y={y(yMax * f) + 4} textAnchor="end" fontSize="10" fill="#64748b">
              {Math.round(yMax * f)} ms
            </text>
          </g>
        ))}
        {keys.map((key, i) => {
          const line = points
            .filter((p) => p.ok && seriesKey(p) === key)
            .map((p) => `${x(p.at).toFixed(1)},${y(p.durationMs).toFixed(1)}`)
            .join(" ");
          return line ? <polyline key={key} points={line} fill="none" stroke={colors[i % colors.length]} strokeWidth="1.5" strokeLinejoin="round" /> : null;
        })}
        {keys.map((key, i) => (
          <g key={key} data-series={key}>
            <text x={LEFT - 6} y={lanesTop + i * LANE_HEIGHT + 10} textAnchor="end" fontSize="10" fill="#334155">
              {seriesLabel(key).split(" ")[0]}
            </text>
            {points
              .filter((p) => seriesKey(p) === key)
              .map((p, j) => (
                <rect
                  key={j}
                  x={x(p.at) - markWidth / 2}
                  y={lanesTop + i * LANE_HEIGHT + 2}
                  width={markWidth}
                  height={LANE_HEIGHT - 4}
                  fill={p.ok ? "#16a34a" : "#dc2626"}
                  data-ok={p.ok}
                >
                  <title>{`${formatStamp(p.at)} · ${seriesLabel(key)} · ${p.ok ? "passed" : "failed"} · ${p.durationMs} ms`}</title>
                </rect>
              ))}
          </g>
        ))}
        <text x={LEFT} y={height - 4} fontSize="10" fill="#64748b">
          {formatStamp(from)}
        </text>
        <text x={WIDTH - RIGHT} y={height - 4} fontSize="10" fill="#64748b" textAnchor="end">
          {formatStamp(to)}
        </text>
      </svg>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {keys.map((key, i) => (
          <span key={key} className="inline-flex items-center gap-1">
            <span className="inline-block h-0.5 w-4" style={{ backgroundColor: colors[i % colors.length] }} aria-hidden />
            {seriesLabel(key)} latency
          </span>
        ))}
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-2.5 w-1.5 bg-green-600" aria-hidden /> passed
        </span>
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-2.5 w-1.5 bg-red-600" aria-hidden /> failed
        </span>
        <span>{summary}</span>
      </figcaption>
    </figure>
  );
}
