import { ExplanationBox } from "@/components/app-registrations/explanation-box";
import type { ResourceCheck } from "@/lib/app-registrations/check-app-credentials";

export function CredentialCheckResult({ resources }: { resources: ResourceCheck[] }) {
  return (
    <ul className="space-y-3" data-testid="credential-check">
      {resources.map((r) => (
        <li key={r.resource} className="space-y-2">
          <p className="text-sm">
            <span className="font-mono text-xs">{r.resource}</span>:{" "}
            {r.explanation ? (
              <span className="font-medium text-red-800">no token</span>
            ) : r.ok ? (
              <span className="font-medium text-green-800">token issued with roles {r.roles.join(", ") || "(none needed yet)"}</span>
            ) : (
              <span className="font-medium text-red-800">token issued, but roles {r.missingRoles.join(", ")} are missing</span>
            )}
            {r.servicePrincipalObjectId && (
              <span className="block text-xs text-slate-600">
                Service principal (Enterprise application) Object ID in this tenant: <code>{r.servicePrincipalObjectId}</code>
              </span>
            )}
          </p>
          {r.explanation && <ExplanationBox explanation={r.explanation} />}
          {!r.explanation && r.missingRoles.length > 0 && (
            <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
              Add the application permission{r.missingRoles.length > 1 ? "s" : ""} {r.missingRoles.join(", ")} under API permissions, then select
              “Grant admin consent”. New roles appear in tokens a few minutes later.
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
