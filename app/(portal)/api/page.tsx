import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { CopyBlock, CopyValue } from "@/components/ui/copy-button";
import { requirePageUser } from "@/lib/auth/session";
import { getTokenApiFacts } from "@/lib/api-keys/token-api-facts";
import { apiExamples } from "@/lib/api/docs/api-examples";
import { problemCatalog, problemCodes } from "@/lib/api/problems";
import { apiRouteSpecs } from "@/lib/api/route-specs";

export const metadata = { title: "API" };

// The token API for other software, as people read it: the base URL of this installation, the endpoints
// (from the same route specs the server and the OpenAPI document use), the problem codes (the anchors the
// problems' `type` URIs point at) and copyable examples.

export default async function ApiPage() {
  await requirePageUser("api_keys.read");
  const facts = getTokenApiFacts();
  const examples = apiExamples(facts.baseUrl);
  return (
    <>
      <PageHeader
        title="API for other software"
        description="Help desks, ticketing systems and mailers ask the portal for a current access token instead of storing refresh tokens. They authenticate with an API key; the portal refreshes when needed, once for all callers, and otherwise answers from memory."
        actions={
          <Link href="/settings/api-keys" className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium hover:bg-slate-50">
            API keys
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title="This installation">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="font-medium text-slate-600">Base URL</dt>
              <dd>
                <CopyValue value={facts.baseUrl} testId="api-base-url" />
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-600">OpenAPI 3.1 document (no key needed)</dt>
              <dd>
                <CopyValue value={facts.openApiUrl} testId="api-openapi-url" />
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-600">Authentication</dt>
              <dd>
                <code>Authorization: Bearer mop_…</code>, a key from Settings → API keys with the scope the endpoint needs. {facts.defaultRateLimitPerMinute} requests per minute per key unless the key says otherwise (429 with Retry-After beyond).
              </dd>
            </div>
          </dl>
        </Card>

        <Card title="Endpoints">
          <table className="min-w-full text-left text-sm" data-testid="api-endpoints">
            <thead className="text-xs text-slate-600 uppercase">
              <tr>
                <th className="py-2 pr-3">Request</th>
                <th className="py-2 pr-3">Scope</th>
                <th className="py-2">What it does</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {apiRouteSpecs.map((r) => (
                <tr key={r.operationId} className="align-top">
                  <td className="py-2 pr-3 font-mono text-xs whitespace-nowrap">
                    {r.method} {r.path}
                  </td>
                  <td className="py-2 pr-3 font-mono text-xs">{r.scope ?? "none"}</td>
                  <td className="py-2">
                    <div className="font-medium text-slate-900">{r.summary}</div>
                    <div className="text-slate-600">{r.description}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-3 text-sm text-slate-600">
            <code>{"{mailbox}"}</code> is the mailbox&apos;s ID or e-mail address. The token answer: <code>access_token</code>, <code>token_type</code>, <code>expires_at</code>, <code>audience</code>,{" "}
            <code>scopes</code>, <code>sasl_user</code> (the mailbox address, also for shared mailboxes), <code>xoauth2</code> (the ready base64 initial response) and <code>server</code> (host, port,
            security; Graph and EWS: the base URL). Ask again whenever you need a token: the portal answers from memory until 5 minutes before expiry.
          </p>
        </Card>

        <Card title="Examples" description="With this installation's base URL. Put the key in PORTAL_API_KEY; replace the mailbox address with one the key may reach.">
          <div className="space-y-6">
            {examples.map((e) => (
              <section key={e.id} id={`example-${e.id}`} aria-label={e.title} className="space-y-2">
                <h3 className="text-sm font-semibold text-slate-900">{e.title}</h3>
                <p className="text-sm text-slate-600">{e.note}</p>
                <CopyBlock value={e.code} language={e.language} testId={`example-${e.id}`} />
              </section>
            ))}
          </div>
        </Card>

        <Card title="Problems" description="Errors are application/problem+json (RFC 9457). Branch on code; show detail and explanation to people.">
          <table className="min-w-full text-left text-sm" data-testid="api-problems">
            <thead className="text-xs text-slate-600 uppercase">
              <tr>
                <th className="py-2 pr-3">code</th>
                <th className="py-2 pr-3">HTTP</th>
                <th className="py-2">When</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {problemCodes.map((code) => (
                <tr key={code} id={`problem-${code}`} className="align-top">
                  <td className="py-2 pr-3 font-mono text-xs">{code}</td>
                  <td className="py-2 pr-3">{problemCatalog[code].status}</td>
                  <td className="py-2">
                    <div className="font-medium text-slate-900">{problemCatalog[code].title}</div>
                    <div className="text-slate-600">{problemCatalog[code].when}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
    </>
  );
}
