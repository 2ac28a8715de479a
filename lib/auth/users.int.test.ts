import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createFirstAdmin, createUser, isSetupDone, listUsers, updateUser } from "@/lib/auth/users";
import { signInWithPassword, SignInRefused } from "@/lib/auth/sign-in-with-password";
import { providers, startTestDatabase, type TestDatabase } from "../../e2e/support/test-database";

const meta = { ip: "203.0.113.9", userAgent: "vitest" };
const password = "a long enough password";

describe.each(providers)("users and sign-in on %s", (provider) => {
  let db: TestDatabase;
  let adminEmail = "";
  beforeAll(async () => {
    db = await startTestDatabase(provider);
  }, 120_000);
  afterAll(async () => db.cleanup());

  it("creates exactly one first admin even when two setups race", async () => {
    const results = await Promise.allSettled([
      createFirstAdmin({ email: "first@example.com", name: "First", password, confirmPassword: password }, meta),
      createFirstAdmin({ email: "second@example.com", name: "Second", password, confirmPassword: password }, meta),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    adminEmail = (won[0] as PromiseFulfilledResult<{ email: string }>).value.email;
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(AppError);
    expect((refused.reason as AppError).safeMessage).toMatch(/Setup is already done/);
    expect(await getDb().user.count()).toBe(1);
    expect(await isSetupDone()).toBe(true);
    await expect(
      createFirstAdmin({ email: "third@example.com", name: "", password, confirmPassword: password }, meta),
    ).rejects.toThrow(/Setup is already done/);
  });

  it("stores only a scrypt hash and audits the creation without the password", async () => {
    const [admin] = await listUsers();
    const row = await getDb().user.findUniqueOrThrow({ where: { id: admin!.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    const events = await getDb().auditEvent.findMany({ where: { action: "user.created" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.ip).toBe(meta.ip);
    expect(JSON.stringify(events)).not.toContain(password);
  });

  it("refuses to demote or disable the last active admin, and allows it once another admin exists", async () => {
    const [admin] = await listUsers();
    const actor = { id: admin!.id, label: admin!.email };
    await expect(updateUser(admin!.id, { role: "support" }, actor, meta)).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { role: "The last active admin cannot be demoted or disabled." },
    });
    await expect(updateUser(admin!.id, { disabled: true }, actor, meta)).rejects.toMatchObject({ code: "conflict" });
    expect((await getDb().user.findUniqueOrThrow({ where: { id: admin!.id } })).role).toBe("admin");

    const second = await createUser({ email: "second.admin@example.com", name: "", role: "admin", password }, actor, meta);
    await updateUser(admin!.id, { role: "support" }, { id: second.id, label: second.email }, meta);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: admin!.id } })).role).toBe("support");
    const roleEvents = await getDb().auditEvent.findMany({ where: { action: "user.role_changed" } });
    expect(JSON.parse(roleEvents[0]!.details)).toEqual({ from: "admin", to: "support" });
    await updateUser(admin!.id, { role: "admin" }, { id: second.id, label: second.email }, meta);
  });

  it("refuses a duplicate e-mail with a message for the e-mail field", async () => {
    const [admin] = await listUsers();
    await expect(
      createUser({ email: admin!.email, name: "", role: "support", password }, { id: admin!.id, label: admin!.email }, meta),
    ).rejects.toMatchObject({ fieldErrors: { email: "A user with this e-mail address exists already." } });
  });

  it("signs in with the right password, refuses a wrong one, and locks after repeated failures", async () => {
    const user = await signInWithPassword({ email: adminEmail.toUpperCase(), password }, meta);
    expect(user.email).toBe(adminEmail);
    await expect(signInWithPassword({ email: adminEmail, password: "wrong" }, meta)).rejects.toThrow(
      "That e-mail address and password do not match an account.",
    );
    // Default policy: locked at the 8th failure within 15 minutes (the delay before each attempt is real).
    let last: unknown;
    for (let i = 0; i < 7; i++) last = await signInWithPassword({ email: adminEmail, password: `wrong ${i}` }, meta).catch((e: unknown) => e);
    expect(last).toBeInstanceOf(SignInRefused);
    expect((last as Error).message).toMatch(/Too many failed sign-ins/);
    await expect(signInWithPassword({ email: adminEmail, password }, meta)).rejects.toThrow(/Too many failed sign-ins/);
    const failures = await getDb().auditEvent.count({ where: { action: "auth.sign_in_failed" } });
    expect(failures).toBe(8);
    expect(await getDb().auditEvent.count({ where: { action: "auth.sign_in_refused" } })).toBe(1);
  }, 60_000);

  it("refuses a disabled account after checking its password", async () => {
    const users = await listUsers();
    const second = users.find((u) => u.email === "second.admin@example.com")!;
    const first = users.find((u) => u.email === adminEmail)!;
    await updateUser(second.id, { disabled: true }, { id: first.id, label: first.email }, meta);
    await expect(signInWithPassword({ email: second.email, password }, { ...meta, ip: "198.51.100.1" })).rejects.toThrow(/disabled/);
  });
});
