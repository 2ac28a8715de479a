import { expect, test, type Request } from "@playwright/test";
import { admin, signIn, signOut, support } from "../support/accounts";

const adminPages = ["/audit", "/settings", "/settings/users"];

test.describe.configure({ mode: "serial" });

let createUserAction: { url: string; headers: Record<string, string>; body: string } | null = null;
let changeUserAction: { url: string; headers: Record<string, string>; body: string } | null = null;

function captureAction(req: Request) {
  const headers = req.headers();
  if (req.method() !== "POST" || !headers["next-action"]) return null;
  return {
    url: req.url(),
    headers: Object.fromEntries(Object.entries(headers).filter(([k]) => ["next-action", "content-type", "accept", "next-router-state-tree"].includes(k))),
    body: req.postData() ?? "",
  };
}

test("an admin adds a support user; bad input is explained and kept", async ({ page }) => {
  await signIn(page, admin);
  await page.goto("/settings/users");
  const form = page.getByRole("form", { name: "Add a user" });

  await form.getByLabel("E-mail address").fill(admin.email);
  await form.getByLabel("Name").fill(support.name);
  await form.getByLabel("Initial password").fill("too short");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.locator('[data-field-error="password"]')).toHaveText("Use at least 12 characters.");
  await expect(form.getByLabel("Name")).toHaveValue(support.name);

  await form.getByLabel("Initial password").fill(support.password);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.locator('[data-field-error="email"]')).toHaveText("A user with this e-mail address exists already.");

  page.on("request", (req) => {
    const captured = captureAction(req);
    if (captured && captured.body.includes(support.email)) createUserAction = captured;
  });
  await form.getByLabel("E-mail address").fill(support.email);
  await form.getByRole("combobox").selectOption("support");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toHaveText(/User created/);
  const row = page.locator(`tr[data-user-email="${support.email}"]`);
  await expect(row).toContainText("Active");
  await expect(row.getByLabel("Role")).toHaveValue("support");
  expect(createUserAction).not.toBeNull();

  // The last admin cannot demote themselves; the refusal is explained on the row.
  page.on("request", (req) => {
    const captured = captureAction(req);
    if (captured && captured.body.includes('"role":"support"')) changeUserAction = captured;
  });
  const me = page.locator(`tr[data-user-email="${admin.email}"]`);
  await me.getByLabel("Role").selectOption("support");
  await expect(me.getByRole("alert")).toHaveText("The last active admin cannot be demoted or disabled.");
  await page.reload();
  await expect(page.locator(`tr[data-user-email="${admin.email}"]`).getByLabel("Role")).toHaveValue("admin");
  expect(changeUserAction).not.toBeNull();
  await page.screenshot({ path: "test-results/screenshots/users.png", fullPage: true });
});

test("support staff see status pages only and are refused on every admin page", async ({ page }) => {
  await signIn(page, support);
  await expect(page.getByTestId("current-role")).toHaveText("Support (read-only)");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText([
    "Dashboard",
    "Mailboxes",
    "App registrations",
    "Token status",
    "API",
  ]);
  for (const path of adminPages) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "Your role cannot open this page" })).toBeVisible();
  }
});

test("support staff calling admin actions directly are refused and nothing changes", async ({ page }) => {
  expect(createUserAction && changeUserAction).toBeTruthy();
  await signIn(page, support);
  const intruder = "mallory@example.com";
  const forged = createUserAction!.body.replaceAll(support.email, intruder).replace('"support"', '"admin"');
  const created = await page.request.post(createUserAction!.url, { headers: createUserAction!.headers, data: forged });
  expect(await created.text()).toContain("Your role does not allow this");

  // Replay "make this user support" against the admin account: refused.
  const demoted = await page.request.post(changeUserAction!.url, { headers: changeUserAction!.headers, data: changeUserAction!.body });
  expect(await demoted.text()).toContain("Your role does not allow this");

  // Signed out, the same calls are refused too.
  const anonymous = await page.context().browser()!.newContext();
  const anon = await anonymous.request.post(createUserAction!.url, { headers: createUserAction!.headers, data: forged });
  expect(await anon.text()).toContain("Your session has ended");
  await anonymous.close();

  await signOut(page);
  await signIn(page, admin);
  await page.goto("/settings/users");
  await expect(page.locator(`tr[data-user-email="${intruder}"]`)).toHaveCount(0);
  await expect(page.locator(`tr[data-user-email="${admin.email}"]`).getByLabel("Role")).toHaveValue("admin");
});

test("the audit log shows sign-ins, failures, user changes and refusals, newest first, filterable", async ({ page }) => {
  await signIn(page, admin);
  await page.goto("/audit");
  const table = page.getByTestId("audit-table");
  await expect(table).toContainText("auth.signed_in");
  await expect(table).toContainText("auth.sign_in_failed");
  await expect(table).toContainText("user.created");
  await expect(table).toContainText("auth.signed_out");
  await page.getByLabel("Actor").fill(support.email);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/actor=sam.support/);
  const rows = table.locator("tbody tr");
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) await expect(rows.nth(i).locator("td").nth(1)).toHaveText(support.email);
  await page.goto("/audit?from=2026-13-45");
  await expect(page.locator('[data-field-error="from"]')).toHaveText("Enter a date as YYYY-MM-DD.");
  await page.screenshot({ path: "test-results/screenshots/audit.png", fullPage: true });
});

test("an admin disables the support user, who can no longer sign in", async ({ page, browser }) => {
  await signIn(page, admin);
  await page.goto("/settings/users");
  const row = page.locator(`tr[data-user-email="${support.email}"]`);
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("Disabled");
  const other = await browser.newPage();
  await other.goto("/signin");
  await other.getByLabel("E-mail address").fill(support.email);
  await other.getByLabel("Password").fill(support.password);
  await other.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(other.getByTestId("alert-error")).toHaveText("This account is disabled. Ask a portal admin to enable it.");
  await row.getByRole("button", { name: "Enable" }).click();
  await expect(row).toContainText("Active");
});
