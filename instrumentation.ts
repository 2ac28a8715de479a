// Next.js calls register() once when a server instance starts, before it handles requests
// (node_modules/next/dist/docs/01-app/03-api-reference/03-file-conventions/instrumentation.md).
// Background jobs start here, on the Node.js runtime only and never while `next build` prerenders
// (ARCHITECTURE.md, "Where later capabilities go"). Every job is safe with several instances: each
// takes a Lease row before it works.
//
// NEXT_RUNTIME and NEXT_PHASE are Next's own variables, set by Next itself, so they are read here
// directly (the one exception to "lib/env.ts is the only reader of process.env"). The `=== "nodejs"`
// test is written as Next's docs show so the bundler drops the Node-only imports from an edge build.

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // `next build` sets NEXT_PHASE=phase-production-build before it prerenders pages, which may load
    // this file; a job started there would run inside the build.
    if (process.env.NEXT_PHASE === "phase-production-build") return;
    const { startKeepAliveJob } = await import("./lib/grants/keep-alive");
    startKeepAliveJob();
    const { startHealthScheduler } = await import("./lib/health/health-scheduler");
    startHealthScheduler();
    const { startNotificationJob } = await import("./lib/notify/notification-job");
    startNotificationJob();
  }
}
