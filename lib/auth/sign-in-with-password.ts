import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { decoyHash, verifyPassword } from "@/lib/auth/password";
import { roleSchema, type Role } from "@/lib/auth/permissions";
import { clearAccountThrottle, readThrottle, recordSignInFailure } from "@/lib/auth/sign-in-throttle";
import { getSettings } from "@/lib/settings/settings";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your e-mail address.").pipe(z.email({ message: "Enter a valid e-mail address." })),
  password: z.string().min(1, "Enter your password.").max(200),
});

/** A refusal whose message is safe and useful to show on the sign-in page. */
export class SignInRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignInRefused";
  }
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

function lockMessage(until: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return `Too many failed sign-ins. Signing in is paused for ${minutes} minute${minutes === 1 ? "" : "s"} (until ${until.toISOString().slice(11, 16)} UTC). Wait, or ask an admin to check the audit log.`;
}

export async function signInWithPassword(input: unknown, meta: RequestMeta): Promise<SignedInUser> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) throw new SignInRefused("Enter your e-mail address and password.");
  const { email, password } = parsed.data;
  const anonymous = { id: null, label: email };

  const throttle = await readThrottle(email, meta.ip);
  if (throttle.lockedUntil) {
    await recordAuditEvent({ actor: anonymous, action: "auth.sign_in_refused", meta, details: { reason: "locked" } });
    throw new SignInRefused(lockMessage(throttle.lockedUntil));
  }
  if (throttle.delayMs > 0) await sleep(throttle.delayMs);

  const user = await getDb().user.findUnique({ where: { email } });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !user.passwordHash || !valid) {
    const settings = await getSettings();
    const lockedUntil = await recordSignInFailure(email, meta.ip, {
      lockAfterFailures: settings.signInLockAfterFailures,
      lockMinutes: settings.signInLockMinutes,
    });
    await recordAuditEvent({
      actor: user ? { id: user.id, label: user.email } : anonymous,
      action: "auth.sign_in_failed",
      meta,
      details: { reason: user ? "wrong_password" : "unknown_account" },
    });
    throw new SignInRefused(lockedUntil ? lockMessage(lockedUntil) : "That e-mail address and password do not match an account.");
  }
  if (user.disabled) {
    await recordAuditEvent({ actor: { id: user.id, label: user.email }, action: "auth.sign_in_refused", meta, details: { reason: "disabled" } });
    throw new SignInRefused("This account is disabled. Ask a portal admin to enable it.");
  }
  await clearAccountThrottle(email);
  await getDb().user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await recordAuditEvent({ actor: { id: user.id, label: user.email }, action: "auth.signed_in", meta, details: { method: "password" } });
  return { id: user.id, email: user.email, name: user.name, role: roleSchema.parse(user.role) };
}
