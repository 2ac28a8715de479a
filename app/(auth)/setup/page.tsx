import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { isSetupDone } from "@/lib/auth/users";
import { SetupForm } from "./setup-form";

export const metadata = { title: "First-run setup" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (await isSetupDone()) redirect("/signin");
  return (
    <Card
      title="Welcome: create the first admin"
      description="No one can use this portal yet. The first account is an admin, who can then add admins and support staff. This page disappears once it is done."
    >
      <SetupForm />
    </Card>
  );
}
