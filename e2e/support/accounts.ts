import type { Page } from "@playwright/test";

// The people of the browser tests. The passwords are searched for in the database file and logs
// at the end of the run: they must appear in neither.
export const admin = { email: "ada.admin@example.com", name: "Ada Admin", password: "correct horse battery staple" };
export const support = { email: "sam.support@example.com", name: "Sam Support", password: "support staff passphrase 42" };

export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("E-mail address").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/dashboard");
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/signin**");
}
