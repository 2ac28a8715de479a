import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/auth-options";

// next-auth's own endpoints (sign-in, callback, session, CSRF, sign-out).
async function handler(req: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(req as never, { params: await context.params } as never, getAuthOptions());
}

export { handler as GET, handler as POST };
