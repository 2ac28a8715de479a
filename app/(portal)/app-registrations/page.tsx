import { EmptyState, PageHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "App registrations" };

export default async function AppRegistrationsPage() {
  await requirePageUser("apps.read");
  return (
    <>
      <PageHeader title="App registrations" description="The Entra ID applications your mailboxes authenticate through: cloud, tenant, client ID and credential." />
      <EmptyState title="No app registrations yet">
        <p>Registering Entra ID applications and the Azure setup guide are not available in this version yet.</p>
      </EmptyState>
    </>
  );
}
