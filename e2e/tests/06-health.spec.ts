import { expect, test, type Page } from "@playwright/test";
import { admin, signIn, signOut, support } from "../support/accounts";
import { e2eStandIn, fillStandInCloud } from "../support/e2e-stand-in";
import { contosoTenantId, fixtureApps } from "../support/stand-in-cloud";

// Health checks in the browser, against the stand-in's real Dovecot and Postfix. Relies on 05: Adele's
// mailbox (IMAP in, SMTP out) is connected. Test now on a healthy and a failing mailbox (the stand-in's
// control API turns IMAP, then SMTP AUTH, off for Adele, as an Exchange admin would), a second mailbox
// connected app-only, then the dashboard after a sweep, and the JSON endpoint.

test.describe.configure({ mode: "serial" });

const ADELE = "adele.vance@contoso.com";
const ALEX = "alex.wilber@contoso.com";

async function openMailbox(page: Page, address: string): Promise<void> {
  await page.goto(`/mailboxes?q=${encodeURIComponent(address)}`);
  await page.getByRole("link", { name: address, exact: true }).first().click();
  await page.waitForURL(/\/mailboxes\/[a-z0-9]+$/);
}

test.afterAll(async () => {
  await e2eStandIn().control.updateMailbox(ADELE, { switches: { imapDisabled: false, smtpAuthDisabled: false } });
});

test("support staff: Test now on a healthy mailbox shows the result at once and adds it to the history", async ({ page }) => {
  await signIn(page, support);
  await openMailbox(page, ADELE);
  const history = page.getByTestId("health-history-table");
  const rowsBefore = await history.locator("tbody tr").count();
  // A marker on the window survives only if the page is not reloaded.
  await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
  await page.getByRole("button", { name: "Test now" }).click();
  await expect(page.getByTestId("health-results").locator("li[data-ok=true]")).toHaveCount(2);
  await expect(history.locator("tbody tr")).toHaveCount(Math.min(20, rowsBefore + 2));
  await expect(history.locator("tbody tr").first()).toContainText("Test now");
  expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
  await expect(page.getByTestId("uptime-24h")).toHaveText("100 %");
  await expect(page.getByTestId("health-chart").locator('rect[data-ok="true"]').first()).toBeVisible();

  // The same from the token status board's row.
  await page.goto("/token-status");
  const row = page.getByTestId("token-status-table").locator(`tr[data-mailbox="${ADELE}"]`);
  await row.getByRole("button", { name: "Test now" }).click();
  await expect(row.getByTestId("test-now-result").locator("li[data-ok=true]")).toHaveCount(2);
  await signOut(page);
});

test("Test now on a failing mailbox: IMAP turned off at Exchange is explained with the fix, SMTP still works", async ({ page }) => {
  await e2eStandIn().control.updateMailbox(ADELE, { switches: { imapDisabled: true } });
  await signIn(page, support);
  await openMailbox(page, ADELE);
  await page.getByRole("button", { name: "Test now" }).click();
  const results = page.getByTestId("health-results");
  await expect(results.locator("li[data-ok=false]")).toHaveCount(1);
  const failing = results.locator("li[data-ok=false]");
  await expect(failing).toContainText("IMAP inbound: failing");
  await expect(failing).toContainText("-ImapEnabled $true");
  await expect(results.locator("li[data-ok=true]")).toContainText("SMTP outbound: healthy");
  const latest = page.getByTestId("health-history-table").locator("tbody tr").first();
  await expect(latest).toHaveAttribute("data-ok", /true|false/);
  await expect(page.getByTestId("health-history-table").locator('tbody tr[data-ok="false"]').first()).toContainText("Who: An admin");
  await expect(page.getByTestId("health-chart").locator('rect[data-ok="false"]').first()).toBeAttached();
  await page.screenshot({ path: "test-results/screenshots/mailbox-health.png", fullPage: true });
  await signOut(page);
});

test("an admin connects a second mailbox app-only (the daemon app), which is healthy", async ({ page }) => {
  await signIn(page, admin);
  await page.goto("/app-registrations/new");
  const form = page.getByRole("form", { name: "App registration" });
  await form.getByLabel("Name in this portal").fill("Daemon (stand-in)");
  await fillStandInCloud(page);
  await form.getByLabel("Supported account types").selectOption("multi_tenant");
  await form.getByLabel("Directory (tenant) ID").fill(contosoTenantId);
  await form.getByLabel("Application (client) ID").fill(fixtureApps.daemon.clientId);
  await form.getByLabel("Client secret (Value)").fill(fixtureApps.daemon.secret);
  await form.getByLabel("Secret expires on").fill(new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10));
  await form.getByRole("button", { name: "Save app registration" }).click();
  // Saved with a warning beside the expiry date (20 days left), which the dashboard must show later.
  await expect(page.locator('[data-field-warning="credentialExpiresAt"]')).toContainText("expires in 20 days");
  await page.getByRole("link", { name: "open the setup guide" }).click();
  await page.waitForURL(/\/app-registrations\/[0-9a-f-]{36}$/);

  await page.goto("/mailboxes/new");
  const mailbox = page.getByRole("form", { name: "Mailbox" });
  await mailbox.getByLabel("App registration").selectOption({ label: "Daemon (stand-in)" });
  await mailbox.getByLabel("E-mail address").fill(ALEX);
  await mailbox.getByLabel("Authentication").selectOption("app_only");
  await mailbox.getByLabel("Direction").selectOption("inbound");
  await mailbox.getByLabel("Inbound protocol").selectOption("imap");
  await mailbox.getByRole("button", { name: "Save mailbox" }).click();
  await page.waitForURL(/\/mailboxes\/[a-z0-9]+$/);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByText("App-only access confirmed")).toBeVisible();
  await page.getByRole("button", { name: "Test now" }).click();
  await expect(page.getByTestId("health-results").locator("li[data-ok=true]")).toHaveCount(1);
});

test("the dashboard after a sweep: the failing mailbox first, with what is wrong and who must fix it", async ({ page }) => {
  await e2eStandIn().control.updateMailbox(ADELE, { switches: { imapDisabled: true, smtpAuthDisabled: true } });
  await signIn(page, support);
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Check all now" }).click();
  // The page follows the sweep and shows its result when it ends.
  await expect(page.getByTestId("last-sweep")).toContainText("started by hand", { timeout: 30_000 });
  await expect(page.getByTestId("last-sweep")).toContainText("2 mailboxes, 3 checks, 2 failed");

  await expect(page.getByTestId("count-failing")).toHaveText("1");
  await expect(page.getByTestId("count-healthy")).toHaveText("1");
  await expect(page.getByTestId("count-credential_expiring")).not.toHaveText("0");
  const first = page.getByTestId("problem-list").locator("> li").first();
  await expect(first).toHaveAttribute("data-mailbox", ADELE);
  await expect(first).toHaveAttribute("data-state", "failing");
  await expect(first).toContainText("IMAP inbound");
  await expect(first).toContainText("-ImapEnabled $true");
  await expect(first).toContainText("SMTP outbound");
  await expect(first).toContainText("SmtpClientAuthenticationDisabled");
  await expect(first.getByTestId("problem-actor").first()).toContainText("An admin");
  await expect(page.getByTestId("expiring-credentials")).toContainText("Daemon (stand-in)");
  await page.screenshot({ path: "test-results/screenshots/dashboard-health.png", fullPage: true });

  // The JSON endpoint for a signed-in user; nothing secret in it.
  const report = await page.request.get("/api/health/mailboxes");
  expect(report.status()).toBe(200);
  const body = (await report.json()) as { status: string; mailboxes: Array<{ address: string; state: string; checks: Array<{ errorClass: string | null }> }> };
  expect(body.status).toBe("failing");
  const adele = body.mailboxes.find((m) => m.address === ADELE)!;
  expect(adele.state).toBe("failing");
  expect(adele.checks.map((c) => c.errorClass)).toEqual(["protocol_disabled", "smtp_auth_disabled"]);
  expect(body.mailboxes.find((m) => m.address === ALEX)!.state).toBe("healthy");
  const text = JSON.stringify(body);
  expect(text).not.toContain(fixtureApps.daemon.secret);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  await signOut(page);
});

test("the monitoring endpoints refuse strangers and say how metrics are turned on", async ({ request }) => {
  const anonymous = await request.get("/api/health/mailboxes");
  expect(anonymous.status()).toBe(401);
  expect(await request.get("/api/health/mailboxes", { headers: { authorization: "Bearer not-the-metrics-token-000" } }).then((r) => r.status())).toBe(401);
  // This run does not set METRICS_TOKEN: /api/metrics is off and says how to turn it on.
  const metrics = await request.get("/api/metrics", { headers: { authorization: "Bearer anything-at-all-000000" } });
  expect(metrics.status()).toBe(404);
  expect(await metrics.text()).toContain("set METRICS_TOKEN");
});
