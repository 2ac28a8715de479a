import Link from "next/link";
import { cookies } from "next/headers";
import { ExplanationBox } from "@/components/app-registrations/explanation-box";
import { Alert, Card } from "@/components/ui/card";
import { readConsentOutcome } from "@/lib/consent/consent-request";
import { CONSENT_COOKIE } from "@/lib/consent/consent-secrets";

export const metadata = { title: "Connection result" };
export const dynamic = "force-dynamic";

const refusals: Record<string, string> = {
  unknown_state: "This answer from Microsoft does not belong to a sign-in started here, so nothing was stored. Start again from the mailbox page or the consent link.",
  used: "This answer was already used, so nothing more was stored. If the mailbox is not connected, start again.",
  expired: "The sign-in took longer than 10 minutes, so nothing was stored for safety. Start again and finish within 10 minutes.",
  other_browser: "The sign-in was started in another browser (or its cookies were cleared), so nothing was stored. Start again in this browser.",
  other_user: "The sign-in was started by another portal user, so nothing was stored. Start again while signed in as yourself.",
};

/** After /oauth/callback: what happened, shown only to the browser that started the sign-in. */
export default async function OAuthResultPage({ searchParams }: { searchParams: Promise<{ r?: string; refused?: string }> }) {
  const { r, refused } = await searchParams;
  const outcome = r ? await readConsentOutcome(r, (await cookies()).get(CONSENT_COOKIE)?.value) : null;
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-16">
      <div className="w-full max-w-2xl space-y-4" data-testid="consent-result">
        <p className="text-center text-xs font-semibold tracking-wide text-blue-700 uppercase">Mailbox OAuth Portal</p>
        {!outcome ? (
          <Card title="Nothing was connected">
            <Alert tone="error">{refusals[refused ?? ""] ?? refusals.unknown_state}</Alert>
          </Card>
        ) : outcome.kind === "admin_consent" ? (
          <Card title={outcome.ok ? `Admin consent confirmed for ${outcome.label}` : `Admin consent for ${outcome.label} did not work`}>
            <div className="space-y-3 text-sm">
              {outcome.ok ? (
                <Alert tone="success">
                  A token for the tenant carries {outcome.roles.join(", ") || "no roles yet"}. {outcome.connectedMailboxes} app-only mailbox
                  {outcome.connectedMailboxes === 1 ? " is" : "es are"} now connected.
                </Alert>
              ) : outcome.explanation ? (
                <ExplanationBox explanation={outcome.explanation} />
              ) : (
                <Alert tone="error">
                  Microsoft issued a token, but it lacks {outcome.missingRoles.join(", ")}. Add these application permissions in the app registration and
                  grant admin consent again.
                </Alert>
              )}
              <Link className="text-blue-700 underline" href={`/app-registrations/${outcome.appRegistrationId}`}>
                Back to the app registration
              </Link>
            </div>
          </Card>
        ) : outcome.ok ? (
          <Card title={`${outcome.address} is connected`}>
            <div className="space-y-3 text-sm">
              <Alert tone="success">
                Signed in as {outcome.account.userName}. The portal keeps the mailbox&apos;s access fresh from now on.
              </Alert>
              <ul className="space-y-1" data-testid="consent-health">
                {outcome.health.map((h) => (
                  <li key={h.label} data-ok={h.ok} className={h.ok ? "text-green-800" : "text-red-800"}>
                    {h.label}: {h.ok ? "healthy" : "failing"} · {h.detail}
                    {h.explanation && (
                      <span className="block text-red-900">
                        {h.explanation.explanation} Fix: {h.explanation.fix}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
              {outcome.viaLink ? (
                <p>You can close this window.</p>
              ) : (
                <Link className="text-blue-700 underline" href={`/mailboxes/${outcome.mailboxId}`}>
                  Back to the mailbox
                </Link>
              )}
            </div>
          </Card>
        ) : (
          <Card title={`${outcome.address} was not connected`}>
            <div className="space-y-3 text-sm">
              <p>Nothing was stored.</p>
              <ExplanationBox explanation={outcome.explanation} />
              {!outcome.viaLink && (
                <Link className="text-blue-700 underline" href={`/mailboxes/${outcome.mailboxId}`}>
                  Back to the mailbox
                </Link>
              )}
            </div>
          </Card>
        )}
      </div>
    </main>
  );
}
