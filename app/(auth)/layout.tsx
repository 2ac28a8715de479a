import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-16">
      <div className="w-full max-w-md">
        <p className="mb-6 text-center text-xs font-semibold tracking-wide text-blue-700 uppercase">Mailbox OAuth Portal</p>
        {children}
      </div>
    </main>
  );
}
