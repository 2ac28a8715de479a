import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-6 py-16 text-center">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">There is nothing at this address</h1>
      <Link href="/dashboard" className="mt-6 inline-block text-sm font-medium text-blue-700 underline">
        Go to the dashboard
      </Link>
    </main>
  );
}
