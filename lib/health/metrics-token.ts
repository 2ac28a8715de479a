import { createHash, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";

// The bearer token of the monitoring endpoints (METRICS_TOKEN). Compared in constant time over SHA-256
// digests, so neither the content nor the length of the configured token leaks through timing.

export type MetricsTokenCheck = "not_configured" | "missing" | "invalid" | "valid";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

export function checkMetricsToken(authorization: string | null): MetricsTokenCheck {
  const configured = getEnv().METRICS_TOKEN;
  if (!configured) return "not_configured";
  const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return "missing";
  return timingSafeEqual(digest(match[1]!), digest(configured)) ? "valid" : "invalid";
}

/** True when the request carries a bearer token at all (then a session is not looked at). */
export function hasBearer(authorization: string | null): boolean {
  return /^Bearer[ \t]/i.test(authorization ?? "");
}
