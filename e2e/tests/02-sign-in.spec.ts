import { expect, test } from "@playwright/test";
import { admin, signIn, signOut } from "../support/accounts";

test("sign-in: empty fields are explained beside them, a wrong password gets a plain message", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator('[data-field-error="email"]')).toHaveText("Enter your e-mail address.");
  await expect(page.locator('[data-field-error="password"]')).toHaveText("Enter your password.");

  await page.getByLabel("E-mail address").fill(admin.email);
  await page.getByLabel("Password").fill("not the password at all");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("alert-error")).toHaveText("That e-mail address and password do not match an account.");
  await expect(page.getByLabel("E-mail address")).toHaveValue(admin.email);

  await signIn(page, admin);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText([
    "Dashboard",
    "Mailboxes",
    "App registrations",
    "Token status",
    "API",
    "Audit",
    "Settings",
  ]);
  await page.screenshot({ path: "test-results/screenshots/dashboard.png", fullPage: true });
  await signOut(page);
});

test("repeated failed sign-ins are slowed, then refused for a while with a message saying so", async ({ page }) => {
  test.setTimeout(120_000);
  const victim = "throttle.victim@example.com";
  await page.goto("/signin");
  await page.getByLabel("E-mail address").fill(victim);
  let last = "";
  for (let attempt = 1; attempt <= 8; attempt++) {
    await page.getByLabel("Password").fill(`wrong password ${attempt}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled({ timeout: 15_000 });
    last = (await page.getByTestId("alert-error").textContent()) ?? "";
  }
  expect(last).toMatch(/Too many failed sign-ins\. Signing in is paused for 15 minutes/);
  // Locked: even the right password (for this account) is refused until the lock ends.
  await page.getByLabel("Password").fill("anything at all");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("alert-error")).toHaveText(/Too many failed sign-ins/);
});
