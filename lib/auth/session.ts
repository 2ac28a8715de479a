import { cache } from "react";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { connection } from "next/server";
import { forbidden, redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { requestMetaFromHeaders, type RequestMeta } from "@/lib/audit/request-meta";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { getAuthOptions } from "@/lib/auth/auth-options";
import { can, roleSchema, type Permission, type Role } from "@/lib/auth/permissions";
import { isSetupDone } from "@/lib/auth/users";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** The signed-in, enabled user of this request, with the role as stored now; null otherwise. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = (await getServerSession(getAuthOptions())) as { userId?: string } | null;
  if (!session?.userId) return null;
  const user = await getDb().user.findUnique({ where: { id: session.userId } });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, role: roleSchema.parse(user.role) };
});

export async function getRequestMeta(): Promise<RequestMeta> {
  return requestMetaFromHeaders(await headers());
}

export function actorOf(user: SessionUser): AuditActor {
  return { id: user.id, label: user.email };
}

/** For pages: first run leads to /setup, no session to /signin, a missing permission to 403. */
export async function requirePageUser(permission?: Permission): Promise<SessionUser> {
  // Every portal page depends on who asks: never prerender one at build time.
  await connection();
  if (!(await isSetupDone())) redirect("/setup");
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  if (permission && !can(user.role, permission)) forbidden();
  return user;
}

/** For server actions and route handlers: throws AppError, which callers turn into their response. */
export async function requireUser(permission: Permission): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
  if (!can(user.role, permission)) throw new AppError("forbidden", "Your role does not allow this. Ask a portal admin.");
  return user;
}

/** The origin the person is browsing from, as our server saw it (forwarded headers only behind a trusted proxy). */
export async function getBrowsingOrigin(): Promise<string | undefined> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host");
  if (!host) return undefined;
  return `${h.get("x-forwarded-proto") ?? "http"}://${host}`;
}
