import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { getEnv } from "@/lib/env";
import { getCurrentUser } from "@/lib/auth/session";
import { isSetupDone } from "@/lib/auth/users";
import { SignInForm } from "./signin-form";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// next-auth's own error codes, said plainly. Our credential refusals arrive as their own text.
const knownErrors: Record<string, string> = {
  EntraNotAllowed: "Your Microsoft account is not a user of this portal, or it is disabled. Ask a portal admin to add you with the same e-mail address.",
  OAuthSignin: "Could not start the Microsoft sign-in. Check the portal's Entra ID sign-in settings.",
  OAuthCallback: "Microsoft's answer could not be used. Try again, or use your e-mail address and password.",
  SessionRequired: "Sign in to continue.",
};

function safeCallback(value: string | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/dashboard";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  if (!(await isSetupDone())) redirect("/setup");
  if (await getCurrentUser()) redirect("/dashboard");
  const params = await searchParams;
  // Only our own texts are shown: an ?error= value is never echoed, so a crafted link cannot put words on this page.
  const error = params.error ? (knownErrors[params.error] ?? "Sign-in failed. Try again.") : undefined;
  return (
    <Card title="Sign in" description="Use the account a portal admin created for you.">
      <SignInForm initialError={error} entraEnabled={getEnv().entraSignIn !== null} callbackUrl={safeCallback(params.callbackUrl)} />
    </Card>
  );
}
