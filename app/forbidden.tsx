import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg px-6 py-16 text-center">
      <p className="text-sm font-semibold text-red-700">403 · Not allowed</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">Your role cannot open this page</h1>
      <p className="mt-3 text-sm text-slate-600">
        Support staff can read mailbox status and health and run health checks. Users, settings, secrets and the audit log are for
        portal admins. Ask an admin if you need access.
      </p>
      <Link href="/dashboard" className="mt-6 inline-block text-sm font-medium text-blue-700 underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
