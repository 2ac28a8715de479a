// Prometheus text exposition format 0.0.4: one HELP and one TYPE line per family, then its samples
// `name{label="value",…} number`. Label values are escaped (backslash, double quote, newline) as the
// format requires; names are ours and fixed.

export type MetricType = "counter" | "gauge" | "histogram";

export interface Sample {
  /** Appended to the family name: "_bucket", "_sum", "_count" for histograms. */
  suffix?: string;
  labels?: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

export function renderPrometheus(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (!NAME.test(f.name)) throw new Error(`invalid metric name ${f.name}`);
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`);
    lines.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const entries = Object.entries(s.labels ?? {});
      for (const [k] of entries) if (!LABEL.test(k)) throw new Error(`invalid label name ${k}`);
      const labels = entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}` : "";
      lines.push(`${f.name}${s.suffix ?? ""}${labels} ${formatValue(s.value)}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** Histogram samples from non-cumulative bucket counts (the last one is +Inf). */
export function histogramSamples(bounds: readonly number[], counts: readonly number[], sum: number, labels: Record<string, string>): Sample[] {
  const samples: Sample[] = [];
  let cumulative = 0;
  bounds.forEach((le, i) => {
    cumulative += counts[i] ?? 0;
    samples.push({ suffix: "_bucket", labels: { ...labels, le: String(le) }, value: cumulative });
  });
  cumulative += counts[bounds.length] ?? 0;
  samples.push({ suffix: "_bucket", labels: { ...labels, le: "+Inf" }, value: cumulative });
  samples.push({ suffix: "_sum", labels, value: sum });
  samples.push({ suffix: "_count", labels, value: cumulative });
  return samples;
}
