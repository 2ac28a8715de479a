import { expect, test } from "@playwright/test";
import { admin } from "../support/accounts";

test("first run: every page leads to setup, bad input is explained beside each field, then the admin is created", async ({ page }) => {
  for (const path of ["/", "/dashboard", "/settings/users", "/audit"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/setup$/);
  }
  await page.goto("/signin");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome: create the first admin" })).toBeVisible();

  await page.getByLabel("Your e-mail address").fill("not-an-address");
  await page.getByLabel("Your name").fill(admin.name);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Repeat the password").fill("different");
  await page.getByRole("button", { name: "Create the first admin" }).click();

  await expect(page.locator('[data-field-error="email"]')).toHaveText(/valid e-mail address/);
  await expect(page.locator('[data-field-error="password"]')).toHaveText("Use at least 12 characters.");
  await expect(page.locator('[data-field-error="confirmPassword"]')).toHaveText("The two passwords differ.");
  // Nothing typed is lost.
  await expect(page.getByLabel("Your name")).toHaveValue(admin.name);
  await expect(page.getByLabel("Your e-mail address")).toHaveValue("not-an-address");

  await page.getByLabel("Your e-mail address").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByLabel("Repeat the password").fill(admin.password);
  await page.getByRole("button", { name: "Create the first admin" }).click();

  await page.waitForURL("**/settings");
  await expect(page.getByTestId("current-user")).toHaveText(admin.name);
  await expect(page.getByTestId("current-role")).toHaveText("Admin");
  await expect(page.getByTestId("redirect-uri")).toHaveText(/\/oauth\/callback$/);
  await page.screenshot({ path: "test-results/screenshots/settings.png", fullPage: true });
});

test("setup disappears for good once an admin exists", async ({ page, request }) => {
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/signin$/);
  // Even a direct call of the setup action cannot create a second first admin.
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok", checks: { database: { ok: true }, migrations: { ok: true }, encryptionKey: { ok: true } } });
});
