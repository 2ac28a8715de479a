import { Alert, Card } from "@/components/ui/card";
import { resolveConsentLink } from "@/lib/consent/consent-links";
import { startConsentFromLinkAction } from "./actions";
import { StartConsentButton } from "./start-button";

export const metadata = { title: "Connect your mailbox", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

const refusals = {
  unknown: "This link is not valid. Check that you opened the whole link, or ask your administrator for a new one.",
  used: "This link was used already: your mailbox was connected with it. If it needs connecting again, ask your administrator for a new link.",
  expired: "This link has expired (links work for 7 days). Ask your administrator for a new one.",
  revoked: "This link was withdrawn by an administrator. Ask them for a new one if you still need it.",
} as const;

/** Public page for mailbox owners (no portal account): what will happen, then Microsoft's sign-in. */
export default async function ConsentLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const resolved = await resolveConsentLink(token);
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-16">
      <div className="w-full max-w-lg">
        <p className="mb-6 text-center text-xs font-semibold tracking-wide text-blue-700 uppercase">Mailbox OAuth Portal</p>
        {!resolved.ok ? (
          <Card title="This link does not work">
            <Alert tone="error">{refusals[resolved.reason]}</Alert>
          </Card>
        ) : (
          <Card title={`Connect ${resolved.target.address}`} description="Your organisation's mail system needs your permission to read and send mail for this mailbox.">
            <div className="space-y-4 text-sm text-slate-700">
              <ol className="list-decimal space-y-1 pl-5">
                <li>
                  Select the button and sign in to Microsoft as <strong>{resolved.target.expectedAccount}</strong>.
                </li>
                <li>Microsoft shows what is asked for; accept it.</li>
                <li>You come back here and see whether it worked. Your password never reaches this portal.</li>
              </ol>
              <StartConsentButton token={token} start={startConsentFromLinkAction} account={resolved.target.expectedAccount} />
              <p className="text-xs text-slate-500">This link works once, until {resolved.target.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC.</p>
            </div>
          </Card>
        )}
      </div>
    </main>
  );
}
