import { expect, test, type Page } from "@playwright/test";
import { admin, signIn, signOut, support } from "../support/accounts";
import { e2eStandIn, fillStandInCloud, signInAtMicrosoft } from "../support/e2e-stand-in";
import { contosoTenantId, fixtureApps } from "../support/stand-in-cloud";

// Consent end to end against the local Microsoft 365 stand-in: Connect, the stand-in's sign-in and
// consent pages, the portal's redirect URI, the stored grant, and a real IMAP and SMTP check at once.

test.describe.configure({ mode: "serial" });

const mailboxes: Record<string, string> = {};

async function createMailbox(page: Page, address: string, options: { signingIdentity?: string } = {}): Promise<string> {
  await page.goto("/mailboxes/new");
  const form = page.getByRole("form", { name: "Mailbox" });
  await form.getByLabel("App registration").selectOption({ label: "Contoso (stand-in)" });
  await form.getByLabel("E-mail address").fill(address);
  if (options.signingIdentity) await form.getByLabel("Signing identity (optional)").fill(options.signingIdentity);
  await form.getByLabel("Direction").selectOption("both");
  await form.getByLabel("Inbound protocol").selectOption("imap");
  await form.getByLabel("Outbound protocol").selectOption("smtp");
  await form.getByRole("button", { name: "Save mailbox" }).click();
  await page.waitForURL(/\/mailboxes\/(?!new$)[a-z0-9]+$/);
  return new URL(page.url()).pathname;
}

test("an admin points an app registration at the stand-in and adds mailboxes", async ({ page }) => {
  await e2eStandIn().control.reset();
  await signIn(page, admin);
  await page.goto("/app-registrations/new");
  const form = page.getByRole("form", { name: "App registration" });
  await form.getByLabel("Name in this portal").fill("Contoso (stand-in)");
  await fillStandInCloud(page);
  await form.getByLabel("Supported account types").selectOption("multi_tenant");
  await form.getByLabel("Directory (tenant) ID").fill(contosoTenantId);
  await form.getByLabel("Application (client) ID").fill(fixtureApps.portal.clientId);
  await form.getByLabel("Client secret (Value)").fill(fixtureApps.portal.secret);
  await form.getByLabel("Secret expires on").fill("2028-06-30");
  await form.getByRole("button", { name: "Save app registration" }).click();
  await page.waitForURL(/\/app-registrations\/[0-9a-f-]{36}$/);
  mailboxes.adele = await createMailbox(page, "adele.vance@contoso.com");
  mailboxes.megan = await createMailbox(page, "megan.bowen@contoso.com");
});

test("Connect: the stand-in's sign-in, back on the portal, connected and healthy over IMAP and SMTP", async ({ page }) => {
  await signIn(page, admin);
  await page.goto(mailboxes.adele!);
  await expect(page.getByTestId("grant-state")).toHaveText("Not connected");
  await page.getByRole("button", { name: "Connect" }).click();
  await signInAtMicrosoft(page, "adele.vance@contoso.com");
  await page.waitForURL(/\/oauth\/result/);
  const result = page.getByTestId("consent-result");
  await expect(result).toContainText("adele.vance@contoso.com is connected");
  await expect(result).toContainText("Signed in as adele.vance@contoso.com");
  await expect(page.getByTestId("consent-health").locator("li[data-ok=true]")).toHaveCount(2);
  expect(page.url()).not.toContain("code=");
  await page.screenshot({ path: "test-results/screenshots/consent-result.png", fullPage: true });

  await page.getByRole("link", { name: "Back to the mailbox" }).click();
  await expect(page.getByTestId("grant-state")).toHaveText("Connected");
  await expect(page.getByTestId("grant-account")).toHaveText("adele.vance@contoso.com");
  await expect(page.getByTestId("token-inspector")).toContainText("https://outlook.office.com");
  await expect(page.getByTestId("token-inspector")).toContainText("matches");
  await page.getByRole("button", { name: "Test now" }).click();
  await expect(page.getByTestId("health-results").locator("li[data-ok=true]")).toHaveCount(2);
  await page.screenshot({ path: "test-results/screenshots/mailbox-connected.png", fullPage: true });
});

test("the wrong account is refused and nothing is stored", async ({ page }) => {
  await signIn(page, admin);
  await page.goto(mailboxes.megan!);
  await page.getByRole("button", { name: "Connect" }).click();
  await signInAtMicrosoft(page, "adele.vance@contoso.com");
  await page.waitForURL(/\/oauth\/result/);
  await expect(page.getByTestId("consent-result")).toContainText("was not connected");
  await expect(page.getByTestId("explanation")).toContainText("Signed in with another account");
  await expect(page.getByTestId("explanation")).toContainText("expects megan.bowen@contoso.com");
  await page.goto(mailboxes.megan!);
  await expect(page.getByTestId("grant-state")).toHaveText("Not connected");
});

test("Microsoft's errors on the way back are explained with the fix and Microsoft's IDs", async ({ page }) => {
  const standIn = e2eStandIn();
  await signIn(page, admin);
  await standIn.control.armFault({ endpoint: "authorize", kind: "consent_required" });
  await page.goto(mailboxes.megan!);
  await page.getByRole("button", { name: "Connect" }).click();
  await page.waitForURL(/\/oauth\/result/, { timeout: 15_000 }).catch(async () => signInAtMicrosoft(page, "megan.bowen@contoso.com"));
  await page.waitForURL(/\/oauth\/result/);
  await expect(page.getByTestId("explanation")).toContainText("AADSTS65001");

  await standIn.control.armFault({ endpoint: "token", kind: "invalid_client_secret" });
  await page.goto(mailboxes.megan!);
  await page.getByRole("button", { name: "Connect" }).click();
  await signInAtMicrosoft(page, "megan.bowen@contoso.com");
  await page.waitForURL(/\/oauth\/result/);
  const explanation = page.getByTestId("explanation");
  await expect(explanation).toContainText("AADSTS7000215");
  await expect(explanation).toContainText(/Trace ID [0-9a-f-]{36}/);
  await page.screenshot({ path: "test-results/screenshots/consent-error.png", fullPage: true });
});

test("a one-time consent link works for a signed-out mailbox owner, once", async ({ page, browser }) => {
  await signIn(page, admin);
  await page.goto(mailboxes.megan!);
  await page.getByRole("button", { name: "Create consent link" }).click();
  const url = (await page.getByTestId("consent-link-url").textContent())!.trim();
  expect(url).toMatch(/\/consent\/[A-Za-z0-9_-]{40,}$/);

  const owner = await browser.newContext({ ignoreHTTPSErrors: true });
  const ownerPage = await owner.newPage();
  await ownerPage.goto(url);
  await ownerPage.getByRole("button", { name: "Sign in with Microsoft as megan.bowen@contoso.com" }).click();
  await signInAtMicrosoft(ownerPage, "megan.bowen@contoso.com");
  await ownerPage.waitForURL(/\/oauth\/result/);
  await expect(ownerPage.getByTestId("consent-result")).toContainText("megan.bowen@contoso.com is connected");
  await expect(ownerPage.getByTestId("consent-result")).toContainText("You can close this window.");
  await ownerPage.goto(url);
  await expect(ownerPage.getByText("This link was used already")).toBeVisible();
  await owner.close();

  await page.goto(mailboxes.megan!);
  await expect(page.getByTestId("grant-state")).toHaveText("Connected");
});

test("support staff see the token status board and may only copy links and test", async ({ page }) => {
  await signIn(page, support);
  await page.goto("/token-status");
  const table = page.getByTestId("token-status-table");
  await expect(table.locator('tr[data-mailbox="adele.vance@contoso.com"]')).toContainText("Connected");
  await page.goto(mailboxes.adele!);
  await expect(page.getByRole("button", { name: "Test now" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Connect" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Disconnect" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Create consent link" })).toHaveCount(0);
  await signOut(page);
});

test("an admin disconnects a mailbox; the grant is gone", async ({ page }) => {
  await signIn(page, admin);
  await page.goto(mailboxes.megan!);
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByText("Disconnected: the stored tokens are deleted.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("grant-state")).toHaveText("Not connected");
});
