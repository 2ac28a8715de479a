import { Badge } from "@/components/ui/card";

const states: Record<string, { tone: "green" | "red" | "amber" | "slate"; label: string }> = {
  active: { tone: "green", label: "Connected" },
  needs_consent: { tone: "red", label: "Needs consent" },
  credential_invalid: { tone: "red", label: "App credential invalid" },
  app_missing: { tone: "red", label: "App not found or not consented" },
  blocked_by_policy: { tone: "red", label: "Blocked by policy" },
};

export const grantStateActions: Record<string, string> = {
  needs_consent: "The mailbox owner must sign in again: send a consent link or select Reconnect.",
  credential_invalid: "An admin must fix the app registration's secret or certificate (Edit), then check credentials.",
  app_missing: "An admin must check the app registration's IDs and grant admin consent in the tenant.",
  blocked_by_policy: "A tenant admin must review Conditional Access or MFA for this account (use the correlation ID in the sign-in logs).",
};

export function GrantStateBadge({ state }: { state: string | null }) {
  if (!state) return <Badge tone="slate">Not connected</Badge>;
  const s = states[state] ?? { tone: "amber" as const, label: state };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
