import type { Uptime } from "@/lib/health/get-uptime";

/** "99.3 %", "100 %", or "—" without checks. Never rounds a failure up to 100 %. */
export function formatUptime(u: Uptime): string {
  if (u.ratio === null) return "—";
  if (u.passed === u.checks) return "100 %";
  return `${(Math.floor(u.ratio * 1000) / 10).toFixed(1)} %`;
}
