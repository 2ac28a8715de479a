import { defineConfig } from "@playwright/test";

// Browser tests walk the real pages in Debian's chromium (Playwright cannot download its own here).
// The portal under test starts from an empty data directory, so the first spec meets first-run setup.

const port = Number(process.env.E2E_PORT ?? 3199);
export const baseURL = `http://localhost:${port}`;
/** The local Microsoft 365 stand-in the consent tests sign in at (identity, Graph, EWS ports; mail on free ports). */
const standInPorts = { identity: port + 242, graph: port + 243, outlook: port + 244 };
export const standInStateDir = ".e2e-stand-in";
const portalClientIds = ["a6c42eea-f4c4-4984-be15-c0e72f4d0357", "5c1d92ab-7a3b-461a-b5ee-13aaec60c5ec", "b19bba8f-95da-41c2-9167-474dca5f0c0c"];

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
    // The stand-in's sign-in pages use a certificate from its own CA; the portal itself is plain http here.
    ignoreHTTPSErrors: true,
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
  webServer: [
    {
      command: [
        "node_modules/.bin/tsx e2e/stand-in/cli.ts serve",
        `--state-dir ${standInStateDir}`,
        `--identity-port ${standInPorts.identity} --graph-port ${standInPorts.graph} --outlook-port ${standInPorts.outlook}`,
        ...portalClientIds.map((id) => `--redirect-uri ${id}=${baseURL}/oauth/callback`),
      ].join(" "),
      url: `https://127.0.0.1:${standInPorts.identity}/common/v2.0/.well-known/openid-configuration`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "node e2e/support/start-e2e-portal.mjs",
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
      env: { PORT: String(port), E2E_PORT: String(port) },
    },
  ],
});
