import { z } from "zod";
import { getDb, isUniqueConstraintError } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { hashPassword, MIN_PASSWORD_LENGTH } from "@/lib/auth/password";
import { roleSchema, type Role } from "@/lib/auth/permissions";

const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter an e-mail address.")
  .max(254, "That address is too long.")
  .pipe(z.email({ message: "Enter a valid e-mail address, such as name@example.com." }));
const nameField = z.string().trim().max(100, "Use at most 100 characters.");
const passwordField = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(200, "Use at most 200 characters.");

export const firstAdminSchema = z
  .object({ email: emailField, name: nameField, password: passwordField, confirmPassword: z.string() })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords differ." });

export const newUserSchema = z.object({
  email: emailField,
  name: nameField,
  role: roleSchema,
  password: passwordField,
});

export const userChangeSchema = z.object({
  name: nameField.optional(),
  role: roleSchema.optional(),
  disabled: z.boolean().optional(),
  password: passwordField.optional(),
});

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  hasPassword: boolean;
}

function toView(u: {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  passwordHash: string | null;
}): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: roleSchema.parse(u.role),
    disabled: u.disabled,
    lastSignInAt: u.lastSignInAt,
    createdAt: u.createdAt,
    hasPassword: u.passwordHash !== null,
  };
}

// Setup is done once a user exists; remembered per process because it never becomes undone.
let setupDone = false;
export async function isSetupDone(): Promise<boolean> {
  if (setupDone) return true;
  setupDone = (await getDb().user.count()) > 0;
  return setupDone;
}

/** The first admin. Refused once any user exists, also when two browsers race (the insert is conditional). */
export async function createFirstAdmin(input: z.infer<typeof firstAdminSchema>, meta: RequestMeta): Promise<UserView> {
  const passwordHash = await hashPassword(input.password);
  const db = getDb();
  const user = await db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) throw new AppError("conflict", "Setup is already done. Sign in instead.");
    // The setup marker's primary key makes a second, concurrent setup fail inside its transaction.
    await tx.setting.create({ data: { key: "setup.completed", value: JSON.stringify(new Date().toISOString()) } });
    return tx.user.create({ data: { email: input.email, name: input.name, role: "admin", passwordHash } });
  }).catch((e: unknown) => {
    if (isUniqueConstraintError(e)) throw new AppError("conflict", "Setup is already done. Sign in instead.");
    throw e;
  });
  setupDone = true;
  await recordAuditEvent({
    actor: { id: user.id, label: user.email },
    action: "user.created",
    target: { type: "user", id: user.id, label: user.email },
    meta,
    details: { role: "admin", firstRun: true },
  });
  return toView(user);
}

export async function listUsers(): Promise<UserView[]> {
  const users = await getDb().user.findMany({ orderBy: [{ disabled: "asc" }, { email: "asc" }] });
  return users.map(toView);
}

export async function getUserById(id: string): Promise<UserView | null> {
  const user = await getDb().user.findUnique({ where: { id } });
  return user ? toView(user) : null;
}

export async function createUser(input: z.infer<typeof newUserSchema>, actor: AuditActor, meta: RequestMeta): Promise<UserView> {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await getDb().user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash },
    });
    await recordAuditEvent({
      actor,
      action: "user.created",
      target: { type: "user", id: user.id, label: user.email },
      meta,
      details: { role: input.role },
    });
    return toView(user);
  } catch (e) {
    if (isUniqueConstraintError(e)) {
      throw new AppError("validation", "A user with that e-mail address exists.", { email: "A user with this e-mail address exists already." });
    }
    throw e;
  }
}

/**
 * Changes name, role, disabled state or password. The last active admin can be neither demoted
 * nor disabled: the check runs after the change inside the same transaction, so it sees the result.
 */
export async function updateUser(
  id: string,
  change: z.infer<typeof userChangeSchema>,
  actor: AuditActor,
  meta: RequestMeta,
): Promise<UserView> {
  const db = getDb();
  const passwordHash = change.password ? await hashPassword(change.password) : undefined;
  const { before, after } = await db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id } });
    if (!before) throw new AppError("not_found", "That user does not exist.");
    const after = await tx.user.update({
      where: { id },
      data: {
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.role !== undefined ? { role: change.role } : {}),
        ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
        ...(passwordHash ? { passwordHash } : {}),
      },
    });
    if (before.role === "admin" && !before.disabled && (after.role !== "admin" || after.disabled)) {
      const admins = await tx.user.count({ where: { role: "admin", disabled: false } });
      if (admins === 0) {
        throw new AppError(
          "conflict",
          "This is the last active admin. Make another user an admin first, then change this one.",
          { [after.role !== "admin" ? "role" : "disabled"]: "The last active admin cannot be demoted or disabled." },
        );
      }
    }
    return { before, after };
  });

  const changedFields: string[] = [];
  if (before.name !== after.name) changedFields.push("name");
  if (before.role !== after.role) changedFields.push("role");
  if (before.disabled !== after.disabled) changedFields.push("disabled");
  if (passwordHash) changedFields.push("password");
  const target = { type: "user", id: after.id, label: after.email };
  if (before.role !== after.role) {
    await recordAuditEvent({ actor, action: "user.role_changed", target, meta, details: { from: before.role, to: after.role } });
  }
  if (before.disabled !== after.disabled) {
    await recordAuditEvent({ actor, action: after.disabled ? "user.disabled" : "user.enabled", target, meta });
  }
  const other = changedFields.filter((f) => f !== "role" && f !== "disabled");
  if (other.length > 0) await recordAuditEvent({ actor, action: "user.changed", target, meta, details: { changedFields: other } });
  return toView(after);
}
