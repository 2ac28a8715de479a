import { notFound } from "next/navigation";
import { AppRegistrationForm } from "@/components/app-registrations/app-registration-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { saveAppRegistrationAction } from "../../actions";

export const metadata = { title: "Edit app registration" };

export default async function EditAppRegistrationPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("apps.write");
  const app = await getAppRegistration((await params).id);
  if (!app) notFound();
  const c = app.customCloud;
  return (
    <>
      <PageHeader title={`Edit ${app.label}`} />
      <Card>
        <AppRegistrationForm
          save={saveAppRegistrationAction}
          initial={{
            id: app.id,
            label: app.label,
            cloud: app.cloud,
            tenant: app.tenant,
            audience: app.audience,
            clientId: app.clientId,
            credentialType: app.credentialType,
            secretHint: app.secretHint,
            hasSecret: app.hasSecret,
            hasCertificate: app.hasCertificate,
            certificateThumbprintSha1: app.certificateThumbprintSha1,
            credentialExpiresAt: app.credentialExpiresAt?.toISOString().slice(0, 10) ?? null,
            credentialSetAt: app.credentialSetAt?.toISOString() ?? null,
            servicePrincipalObjectId: app.servicePrincipalObjectId,
            custom: c
              ? {
                  customLoginHost: c.loginHost,
                  customGraphHost: c.graphHost,
                  customOutlookDelegatedResource: c.outlookDelegatedResource,
                  customExchangeResource: c.exchangeResource,
                  customGraphResource: c.graphResource,
                  customImapHost: c.imapHost,
                  customPopHost: c.popHost,
                  customSmtpHost: c.smtpHost,
                  customEwsUrl: c.ewsUrl ?? "",
                  customTrustedCaPem: c.trustedCaPem ?? "",
                }
              : {},
          }}
        />
      </Card>
    </>
  );
}
