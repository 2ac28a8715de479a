import { AppRegistrationForm } from "@/components/app-registrations/app-registration-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { saveAppRegistrationAction } from "../actions";

export const metadata = { title: "New app registration" };

export default async function NewAppRegistrationPage() {
  await requirePageUser("apps.write");
  return (
    <>
      <PageHeader
        title="New app registration"
        description="Copy these values from the app registration's Overview and Certificates & secrets pages in the Azure portal. Everything is checked before it is saved."
      />
      <Card>
        <AppRegistrationForm initial={null} save={saveAppRegistrationAction} />
      </Card>
    </>
  );
}
