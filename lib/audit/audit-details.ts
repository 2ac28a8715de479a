import { redact } from "@/lib/log";

// Audit details are small, flat and non-secret: names of changed fields, counts, outcomes.
// A key that names a secret is dropped whatever its value; string values pass the log redactor too.

export type AuditDetailValue = string | number | boolean | null | string[];
export type AuditDetails = Record<string, AuditDetailValue>;

const SECRET_KEY = /(secret|password|token|assertion|private.?key|credential.?value|api.?key$|^key$|cookie|authorization)/i;
/** Keys that merely list field names or describe a secret without holding it. */
const ALLOWED = new Set(["changedFields", "secretHint", "keyPrefix", "credentialType", "tokenType"]);

export function sanitizeAuditDetails(details: AuditDetails): AuditDetails {
  const clean: AuditDetails = {};
  for (const [key, value] of Object.entries(details)) {
    if (SECRET_KEY.test(key) && !ALLOWED.has(key)) continue;
    if (typeof value === "string") clean[key] = redact(value).slice(0, 500);
    else if (Array.isArray(value)) clean[key] = value.slice(0, 50).map((v) => redact(String(v)).slice(0, 200));
    else clean[key] = value;
  }
  return clean;
}
