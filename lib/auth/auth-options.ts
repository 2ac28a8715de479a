import type { NextAuthOptions } from "next-auth";
import AzureADProvider from "next-auth/providers/azure-ad";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { CLIENT_IP_HEADER, type RequestMeta } from "@/lib/audit/request-meta";
import { getSessionSecret } from "@/lib/auth/session-secret";
import { signInWithPassword, SignInRefused } from "@/lib/auth/sign-in-with-password";

// Sessions are JWT cookies (next-auth 4 requires it for credentials sign-in). The cookie carries only
// the user ID; role and disabled state are read from the database on every request (lib/auth/session.ts),
// so a demotion or a disable takes effect at once.

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

function metaFromNextAuthRequest(req: { headers?: Record<string, unknown> | Headers } | undefined): RequestMeta {
  const headers = req?.headers;
  const get = (name: string): string | null => {
    if (!headers) return null;
    if (headers instanceof Headers) return headers.get(name);
    const value = headers[name];
    return typeof value === "string" ? value : null;
  };
  return { ip: get(CLIENT_IP_HEADER), userAgent: get("user-agent")?.slice(0, 300) ?? null };
}

function providers(): NextAuthOptions["providers"] {
  const list: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "E-mail and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, req) {
        try {
          const user = await signInWithPassword(credentials, metaFromNextAuthRequest(req));
          return { id: user.id, email: user.email, name: user.name };
        } catch (e) {
          // next-auth passes this message to the sign-in page as ?error=...; only our own safe texts go there.
          if (e instanceof SignInRefused) throw new Error(e.message);
          throw e;
        }
      },
    }),
  ];
  const entra = getEnv().entraSignIn;
  if (entra) {
    list.push({
      ...AzureADProvider({ clientId: entra.clientId, clientSecret: entra.clientSecret, tenantId: entra.tenantId }),
      wellKnown: `https://${entra.loginHost}/${entra.tenantId}/v2.0/.well-known/openid-configuration`,
      // The default profile() fetches the user's photo from Graph; we need no photo and no Graph call.
      profile(profile: { sub: string; name?: string; email?: string; preferred_username?: string }) {
        return { id: profile.sub, name: profile.name ?? "", email: (profile.email ?? profile.preferred_username ?? "").toLowerCase() };
      },
    });
  }
  return list;
}

export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getSessionSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    useSecureCookies: getEnv().secureCookies,
    pages: { signIn: "/signin", error: "/signin" },
    providers: providers(),
    callbacks: {
      // Entra ID sign-in is for people an admin already created; it never creates a portal user.
      async signIn({ user, account }) {
        if (account?.provider !== "azure-ad") return true;
        const email = (user.email ?? "").toLowerCase();
        const existing = email ? await getDb().user.findUnique({ where: { email } }) : null;
        if (!existing || existing.disabled) {
          await recordAuditEvent({
            actor: { id: existing?.id ?? null, label: email || "anonymous" },
            action: "auth.sign_in_refused",
            details: { method: "entra", reason: existing ? "disabled" : "no_portal_user" },
          });
          return "/signin?error=EntraNotAllowed";
        }
        await getDb().user.update({ where: { id: existing.id }, data: { lastSignInAt: new Date() } });
        await recordAuditEvent({ actor: { id: existing.id, label: existing.email }, action: "auth.signed_in", details: { method: "entra" } });
        user.id = existing.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
    events: {
      async signOut({ token }) {
        if (!token?.sub) return;
        const user = await getDb().user.findUnique({ where: { id: token.sub } });
        await recordAuditEvent({ actor: { id: token.sub, label: user?.email ?? "unknown" }, action: "auth.signed_out" });
      },
    },
  };
}
