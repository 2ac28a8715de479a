import { defineConfig } from "@playwright/test";

// Browser tests walk the real pages in Debian's chromium (Playwright cannot download its own here).
// The portal under test starts from an empty data directory, so the first spec meets first-run setup.

const port = Number(process.env.E2E_PORT ?? 3199);
export const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "e2e/tests",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: ".test-reports/playwright.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "node e2e/support/start-e2e-portal.mjs",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: { PORT: String(port), E2E_PORT: String(port) },
  },
});
