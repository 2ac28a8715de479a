import { getDb } from "@/lib/db/client";

// After an admin fixes an app registration (a new secret or certificate, a corrected tenant or client ID),
// the grants that stopped because of the app, not because of the user, can work again without a new
// consent: a delegated refresh token refused only because the app's credential was refused is still good.
// Grants that need the mailbox owner (needs_consent) or a policy change (blocked_by_policy) stay stopped.

const APP_STATES = ["credential_invalid", "app_missing"];

/** Makes the app registration's credential_invalid / app_missing grants active again; returns how many. */
export async function reactivateGrantsOfApp(appRegistrationId: string): Promise<number> {
  const { count } = await getDb().grant.updateMany({
    where: { state: { in: APP_STATES }, mailbox: { appRegistrationId } },
    data: { state: "active", failureCount: 0, nextAttemptAt: null },
  });
  return count;
}
