// A strict reader of the Prometheus text format 0.0.4, written from the format's description (not from
// our renderer), for tests: every non-comment line must be `name{labels} value [timestamp]`, every
// family must have HELP and TYPE before its samples, families must not interleave, and histograms must
// have cumulative buckets ending in +Inf equal to _count. Throws on the first violation, naming the line.

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  samples: ParsedSample[];
}

const METRIC_NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const SAMPLE = new RegExp(`^(${METRIC_NAME})(?:\\{(.*)\\})?[ \\t]+(\\S+)(?:[ \\t]+(-?\\d+))?$`);
const LABEL_PAIR = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(?:,|$)/;

function parseValue(text: string, line: number): number {
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: "${text}" is not a number`);
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const m = LABEL_PAIR.exec(rest);
    if (!m) throw new Error(`line ${line}: malformed labels near "${rest.slice(0, 40)}"`);
    if (m[1]! in labels) throw new Error(`line ${line}: label ${m[1]} twice`);
    labels[m[1]!] = m[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));
    rest = rest.slice(m[0].length);
  }
  return labels;
}

function familyOf(sampleName: string, families: Map<string, ParsedFamily>): ParsedFamily | undefined {
  const exact = families.get(sampleName);
  if (exact) return exact;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (sampleName.endsWith(suffix)) {
      const f = families.get(sampleName.slice(0, -suffix.length));
      if (f && (f.type === "histogram" || f.type === "summary")) return f;
    }
  }
  return undefined;
}

export function parsePrometheusText(text: string): Map<string, ParsedFamily> {
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const families = new Map<string, ParsedFamily>();
  const finished = new Set<string>();
  let current: ParsedFamily | null = null;
  text
    .slice(0, -1)
    .split("\n")
    .forEach((raw, i) => {
      const line = i + 1;
      if (raw.trim() === "") return;
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(raw);
      if (meta) {
        const [, kind, name, rest = ""] = meta;
        if (!new RegExp(`^${METRIC_NAME}$`).test(name!)) throw new Error(`line ${line}: bad metric name ${name}`);
        if (finished.has(name!)) throw new Error(`line ${line}: family ${name} appears twice`);
        let f = families.get(name!);
        if (!f) {
          if (current) finished.add(current.name);
          f = { name: name!, help: "", type: "", samples: [] };
          families.set(name!, f);
          current = f;
        }
        if (f.samples.length) throw new Error(`line ${line}: ${kind} of ${name} after its samples`);
        if (kind === "HELP") f.help = rest;
        else {
          if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest)) throw new Error(`line ${line}: unknown type ${rest}`);
          f.type = rest;
        }
        return;
      }
      if (raw.startsWith("#")) return;
      const m = SAMPLE.exec(raw);
      if (!m) throw new Error(`line ${line}: not "name{labels} value": ${raw}`);
      const f = familyOf(m[1]!, families);
      if (!f || f !== current) throw new Error(`line ${line}: sample ${m[1]} outside its family's HELP/TYPE block`);
      f.samples.push({ name: m[1]!, labels: parseLabels(m[2] ?? "", line), value: parseValue(m[3]!, line) });
    });
  for (const f of families.values()) {
    if (!f.help || !f.type) throw new Error(`family ${f.name} lacks HELP or TYPE`);
    if (f.type === "counter" && f.samples.some((s) => s.value < 0)) throw new Error(`counter ${f.name} is negative`);
    if (f.type === "histogram") checkHistogram(f);
  }
  return families;
}

function checkHistogram(f: ParsedFamily): void {
  const series = new Map<string, ParsedSample[]>();
  for (const s of f.samples.filter((x) => x.name === `${f.name}_bucket`)) {
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${f.name}: bucket without le`);
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, buckets] of series) {
    let previous = -Infinity;
    let count = 0;
    for (const b of buckets) {
      const le = parseValue(b.labels.le!, 0);
      if (le <= previous) throw new Error(`${f.name}${key}: buckets not in increasing le order`);
      if (b.value < count) throw new Error(`${f.name}${key}: buckets not cumulative`);
      previous = le;
      count = b.value;
    }
    if (previous !== Infinity) throw new Error(`${f.name}${key}: no +Inf bucket`);
    const total = f.samples.find((s) => s.name === `${f.name}_count` && JSON.stringify(s.labels) === key);
    if (!total || total.value !== count) throw new Error(`${f.name}${key}: _count differs from the +Inf bucket`);
    if (!f.samples.some((s) => s.name === `${f.name}_sum` && JSON.stringify(s.labels) === key)) throw new Error(`${f.name}${key}: no _sum`);
  }
}
