import { describe, expect, it } from "vitest";
import { histogramSamples, renderPrometheus } from "@/lib/health/render-prometheus";
import { parsePrometheusText } from "@/lib/health/test-support/parse-prometheus-text";

describe("renderPrometheus", () => {
  it("writes HELP, TYPE and samples that a strict reader accepts", () => {
    const text = renderPrometheus([
      { name: "x_checks_total", help: "Checks.", type: "counter", samples: [{ labels: { protocol: "imap", outcome: "ok" }, value: 3 }] },
      { name: "x_latency_seconds", help: "Latency.", type: "histogram", samples: histogramSamples([0.1, 1], [2, 1, 1], 3.5, { protocol: "imap" }) },
      { name: "x_up", help: "Up.", type: "gauge", samples: [{ value: 1 }] },
    ]);
    expect(text).toBe(
      [
        "# HELP x_checks_total Checks.",
        "# TYPE x_checks_total counter",
        'x_checks_total{protocol="imap",outcome="ok"} 3',
        "# HELP x_latency_seconds Latency.",
        "# TYPE x_latency_seconds histogram",
        'x_latency_seconds_bucket{protocol="imap",le="0.1"} 2',
        'x_latency_seconds_bucket{protocol="imap",le="1"} 3',
        'x_latency_seconds_bucket{protocol="imap",le="+Inf"} 4',
        'x_latency_seconds_sum{protocol="imap"} 3.5',
        'x_latency_seconds_count{protocol="imap"} 4',
        "# HELP x_up Up.",
        "# TYPE x_up gauge",
        "x_up 1",
        "",
      ].join("\n"),
    );
    const parsed = parsePrometheusText(text);
    expect([...parsed.keys()]).toEqual(["x_checks_total", "x_latency_seconds", "x_up"]);
  });

  it("escapes label values so names typed by admins cannot break the format", () => {
    const text = renderPrometheus([{ name: "x", help: "h", type: "gauge", samples: [{ labels: { label: 'Help "desk"\\\nEU' }, value: 1 }] }]);
    expect(text).toContain('x{label="Help \\"desk\\"\\\\\\nEU"} 1');
    expect(parsePrometheusText(text).get("x")!.samples[0]!.labels.label).toBe('Help "desk"\\\nEU');
  });

  it("refuses invalid names instead of writing them", () => {
    expect(() => renderPrometheus([{ name: "bad-name", help: "h", type: "gauge", samples: [] }])).toThrow(/invalid metric name/);
    expect(() => renderPrometheus([{ name: "x", help: "h", type: "gauge", samples: [{ labels: { "a-b": "1" }, value: 1 }] }])).toThrow(/invalid label name/);
  });
});

describe("parsePrometheusText (the test's own reader) rejects what Prometheus rejects", () => {
  it.each([
    ["a sample without HELP/TYPE", "x 1\n"],
    ["a value that is no number", "# HELP x h\n# TYPE x gauge\nx one\n"],
    ["unquoted label values", "# HELP x h\n# TYPE x gauge\nx{a=b} 1\n"],
    ["a missing newline at the end", "# HELP x h\n# TYPE x gauge\nx 1"],
    ["non-cumulative buckets", '# HELP h h\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ["interleaved families", "# HELP a h\n# TYPE a gauge\na 1\n# HELP b h\n# TYPE b gauge\nb 1\na 2\n"],
  ])("%s", (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
