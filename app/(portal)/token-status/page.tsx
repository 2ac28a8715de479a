import { EmptyState, PageHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "Token status" };

export default async function TokenStatusPage() {
  await requirePageUser("tokens.read");
  return (
    <>
      <PageHeader title="Token status" description="Every mailbox's grant: who consented, scopes, expiry, last refresh and the last error explained." />
      <EmptyState title="No grants yet">
        <p>Grants appear here once mailboxes are connected through consent, which is not available in this version yet.</p>
      </EmptyState>
    </>
  );
}
