import Link from "next/link";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { formatDay, formatTime } from "@/components/ui/dates";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { listApiKeys, type ApiKeyView } from "@/lib/api-keys/list-api-keys";
import { getTokenApiFacts } from "@/lib/api-keys/token-api-facts";
import { CreateApiKeyForm } from "./create-api-key-form";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

export const metadata = { title: "API keys" };

function reachOf(k: ApiKeyView): string {
  if (k.mailboxScope === "all") return "All mailboxes";
  if (k.mailboxScope === "tag") return `Tag “${k.mailboxTag ?? ""}”`;
  const more = k.mailboxCount - k.mailboxAddresses.length;
  return `${k.mailboxAddresses.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

const statusBadge = { active: <Badge tone="green">Active</Badge>, revoked: <Badge tone="red">Revoked</Badge>, expired: <Badge tone="amber">Expired</Badge> };

export default async function ApiKeysPage() {
  const user = await requirePageUser("api_keys.read");
  const mayWrite = can(user.role, "api_keys.write");
  const [keys, facts] = await Promise.all([listApiKeys(), getTokenApiFacts()]);
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys let other software (help desks, mailers) get current access tokens from this portal. See <Link href="/api" className="text-blue-700 underline">API</Link> for the endpoints and examples.
            A revoked key is refused at once by this instance and within {facts.cacheRefreshSeconds} s by others.
          </>
        }
      />
      <div className="space-y-6">
        {keys.length === 0 ? (
          <EmptyState title="No API keys yet">{mayWrite ? <p>Create one below for each piece of software that needs tokens.</p> : <p>An admin creates keys.</p>}</EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table className="min-w-full text-left text-sm" data-testid="api-keys-table">
              <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
                <tr>
                  <th className="px-3 py-2">Name · prefix</th>
                  <th className="px-3 py-2">Scopes</th>
                  <th className="px-3 py-2">Mailboxes</th>
                  <th className="px-3 py-2">Limit</th>
                  <th className="px-3 py-2">Created · expires</th>
                  <th className="px-3 py-2">Last used · tokens (7 days)</th>
                  <th className="px-3 py-2">Status</th>
                  {mayWrite && <th className="px-3 py-2" />}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.map((k) => (
                  <tr key={k.id} data-key-prefix={k.prefix} data-key-name={k.name} className="align-top">
                    <td className="px-3 py-3">
                      <div className="font-medium text-slate-900">{k.name}</div>
                      <code className="text-xs text-slate-600" data-testid="key-prefix">
                        {k.prefix}…
                      </code>
                    </td>
                    <td className="px-3 py-3 font-mono text-xs">{k.scopes.join(" ")}</td>
                    <td className="max-w-xs px-3 py-3 text-xs break-words">{reachOf(k)}</td>
                    <td className="px-3 py-3 text-xs">{k.rateLimitPerMinute ?? facts.defaultRateLimitPerMinute}/min</td>
                    <td className="px-3 py-3 text-xs">
                      {formatDay(k.createdAt)} by {k.createdBy}
                      <div className="text-slate-500">{k.expiresAt ? `expires ${formatTime(k.expiresAt)}` : "no expiry"}</div>
                    </td>
                    <td className="px-3 py-3 text-xs" data-testid="key-last-used">
                      {k.lastUsedAt ? formatTime(k.lastUsedAt) : "never"}
                      <div className="text-slate-500">{k.issuedLast7Days} tokens</div>
                    </td>
                    <td className="px-3 py-3">{statusBadge[k.status]}</td>
                    {mayWrite && <td className="px-3 py-3">{k.status !== "revoked" && <RevokeApiKeyButton id={k.id} name={k.name} />}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {mayWrite ? (
          <Card title="New API key" description="The key is shown once, right after it is created. The portal stores only its SHA-256 hash and its prefix.">
            <CreateApiKeyForm defaultRateLimitPerMinute={facts.defaultRateLimitPerMinute} />
          </Card>
        ) : (
          <p className="text-sm text-slate-600" data-testid="api-keys-read-only">
            Support staff see keys and their last use; admins create and revoke them.
          </p>
        )}
      </div>
    </>
  );
}
