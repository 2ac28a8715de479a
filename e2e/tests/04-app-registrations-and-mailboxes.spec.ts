import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page, type Request } from "@playwright/test";
import { admin, signIn, signOut, support } from "../support/accounts";
import { e2eClientSecret, e2eSecretId } from "../support/secrets";

test.describe.configure({ mode: "serial" });

const tenant = "b3922080-3ce0-4dbb-b906-e7d97973bbe4";
const clientId = "5c1d92ab-7a3b-461a-b5ee-13aaec60c5ec";
let appUrl = "";
let mailboxUrl = "";
let saveMailboxCall: { url: string; headers: Record<string, string>; body: string } | null = null;

function inFutureDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function capture(req: Request) {
  const h = req.headers();
  if (req.method() !== "POST" || !h["next-action"]) return null;
  return {
    url: req.url(),
    headers: Object.fromEntries(Object.entries(h).filter(([k]) => ["next-action", "content-type", "accept", "next-router-state-tree"].includes(k))),
    body: req.postData() ?? "",
  };
}

async function fieldError(page: Page, name: string) {
  return page.locator(`[data-field-error="${name}"]`);
}

test("an admin registers an app with a secret: classic mistakes are caught beside each field", async ({ page }) => {
  await signIn(page, admin);
  await page.goto("/app-registrations");
  await expect(page.getByText("No app registrations yet")).toBeVisible();
  await page.getByRole("link", { name: "New app registration" }).click();

  const form = page.getByRole("form", { name: "App registration" });
  await form.getByLabel("Name in this portal").fill("Help desk (Contoso)");
  await form.getByLabel("Supported account types").selectOption("single_tenant");
  await form.getByLabel("Directory (tenant) ID").fill("common");
  await form.getByLabel("Application (client) ID").fill("Help desk app");
  await form.getByLabel("Client secret (Value)").fill(e2eSecretId);
  await form.getByLabel("Secret expires on").fill(inFutureDays(20));
  await form.getByRole("button", { name: "Save app registration" }).click();

  await expect(await fieldError(page, "tenant")).toContainText("AADSTS50194");
  await expect(await fieldError(page, "clientId")).toContainText("Application (client) ID");
  await expect(await fieldError(page, "clientSecret")).toContainText("secret's ID");
  await expect(page.locator('[data-field-warning="credentialExpiresAt"]')).toContainText("expires in 20 days");
  await expect(form.getByLabel("Name in this portal")).toHaveValue("Help desk (Contoso)");
  await page.screenshot({ path: "test-results/screenshots/app-registration-errors.png", fullPage: true });

  await form.getByLabel("Directory (tenant) ID").fill(tenant);
  await form.getByLabel("Application (client) ID").fill(clientId);
  await form.getByLabel("Client secret (Value)").fill(e2eClientSecret);
  await form.getByLabel("Secret expires on").fill(inFutureDays(400));
  await form.getByRole("button", { name: "Save app registration" }).click();
  await page.waitForURL(/\/app-registrations\/[0-9a-f-]{36}$/);
  appUrl = new URL(page.url()).pathname;

  await expect(page.getByRole("heading", { name: "Help desk (Contoso)" })).toBeVisible();
  await expect(page.getByTestId("secret-hint").first()).toHaveText(`••••${e2eClientSecret.slice(-4)}`);
  expect(await page.content()).not.toContain(e2eClientSecret);
});

test("the setup guide shows every value to copy", async ({ page }) => {
  await signIn(page, admin);
  await page.goto("/settings");
  const redirectUri = (await page.getByTestId("redirect-uri").textContent())!.trim();
  await page.goto(appUrl);
  await expect(page.getByTestId("guide-redirect-uri")).toHaveText(redirectUri);
  await expect(page.getByTestId("guide-client-id")).toHaveText(clientId);
  await expect(page.getByTestId("guide-tenant")).toHaveText(tenant);
  await expect(page.getByTestId("guide-authorize-endpoint")).toHaveText(`https://login.microsoftonline.com/${tenant}/oauth2/v2.0/authorize`);
  await expect(page.getByTestId("guide-token-endpoint")).toHaveText(`https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`);
  const permissions = page.getByTestId("guide-permissions");
  await expect(permissions).toContainText("IMAP.AccessAsUser.All");
  await expect(permissions).toContainText("SMTP.Send");
  await expect(permissions).toContainText("offline_access");
  const manifest = JSON.parse((await page.getByTestId("guide-manifest").textContent())!) as { resourceAppId: string }[];
  expect(manifest.map((m) => m.resourceAppId)).toContain("00000003-0000-0000-c000-000000000000");

  // App-only preview: application permissions and the Exchange PowerShell with the real IDs.
  await page.getByLabel("Mode").selectOption("app_only");
  await page.getByRole("button", { name: "Show steps" }).click();
  await expect(page.getByTestId("guide-permissions")).toContainText("IMAP.AccessAsApp");
  await expect(page.getByTestId("guide-ps-service-principal")).toContainText(`New-ServicePrincipal -AppId '${clientId}'`);
  await expect(page.getByTestId("guide-ps-connect")).toContainText(tenant);
  await page.screenshot({ path: "test-results/screenshots/setup-guide.png", fullPage: true });
});

test("an admin registers an app with a certificate and sees its thumbprints", async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-cert-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-subj", "/CN=portal-e2e", "-days", "365"], { stdio: "ignore" });
  const certPem = fs.readFileSync(path.join(dir, "cert.pem"), "utf8");
  const keyPem = fs.readFileSync(path.join(dir, "key.pem"), "utf8");
  const sha1 = execFileSync("openssl", ["x509", "-in", path.join(dir, "cert.pem"), "-noout", "-fingerprint", "-sha1"], { encoding: "utf8" }).split("=")[1]!.trim().replaceAll(":", "");

  await signIn(page, admin);
  await page.goto("/app-registrations/new");
  const form = page.getByRole("form", { name: "App registration" });
  await form.getByLabel("Name in this portal").fill("Daemon (certificate)");
  await form.getByLabel("Supported account types").selectOption("multi_tenant");
  await form.getByLabel("Directory (tenant) ID").fill("contoso.onmicrosoft.com");
  await form.getByLabel("Application (client) ID").fill("b19bba8f-95da-41c2-9167-474dca5f0c0c");
  await form.getByLabel("Credential type").selectOption("certificate");
  await form.getByLabel("Certificate (PEM)").fill(certPem);
  await form.getByLabel("Private key (PEM)").fill(keyPem);
  await form.getByRole("button", { name: "Save app registration" }).click();
  await page.waitForURL(/\/app-registrations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("thumbprint-sha1")).toHaveText(sha1);
  expect(await page.content()).not.toContain("PRIVATE KEY");
  fs.rmSync(dir, { recursive: true, force: true });
});

test("an admin creates an IMAP inbound and an SMTP outbound mailbox, with validation beside each field", async ({ page }) => {
  await signIn(page, admin);
  await page.goto("/mailboxes/new");
  const form = page.getByRole("form", { name: "Mailbox" });
  await form.getByLabel("App registration").selectOption({ label: "Help desk (Contoso)" });
  await form.getByLabel("E-mail address").fill("someone@hotmail.com");
  await form.getByLabel("Port").fill("99999");
  await form.getByRole("button", { name: "Save mailbox" }).click();
  await expect(await fieldError(page, "address")).toContainText("personal Microsoft account");
  await expect(await fieldError(page, "inboundPort")).toHaveText("Enter a port between 1 and 65535.");
  await page.screenshot({ path: "test-results/screenshots/mailbox-errors.png", fullPage: true });

  await form.getByLabel("E-mail address").fill("helpdesk@contoso.com");
  await form.getByLabel("Display name").fill("Help desk inbox");
  await form.getByLabel("Port").fill("");
  await form.getByLabel("Tags").fill("helpdesk, eu");
  await form.getByRole("button", { name: "Save mailbox" }).click();
  await page.waitForURL(/\/mailboxes\/(?!new$)[a-z0-9]+$/);
  mailboxUrl = new URL(page.url()).pathname;
  await expect(page.getByText("outlook.office365.com:993 · TLS")).toBeVisible();

  // The same address and protocol again: refused, explained.
  await page.goto("/mailboxes/new");
  await form.getByLabel("App registration").selectOption({ label: "Help desk (Contoso)" });
  await form.getByLabel("E-mail address").fill("helpdesk@contoso.com");
  await form.getByRole("button", { name: "Save mailbox" }).click();
  await expect(await fieldError(page, "inboundProtocol")).toContainText("already configured for inbound IMAP");

  page.on("request", (req) => {
    const c = capture(req);
    if (c && c.body.includes("sender@contoso.com")) saveMailboxCall = c;
  });
  await form.getByLabel("E-mail address").fill("sender@contoso.com");
  await form.getByLabel("Direction").selectOption("outbound");
  await form.getByLabel("Outbound protocol").selectOption("smtp");
  await form.getByRole("button", { name: "Save mailbox" }).click();
  await page.waitForURL(/\/mailboxes\/(?!new$)[a-z0-9]+$/);
  await expect(page.getByText("smtp.office365.com:587 · STARTTLS")).toBeVisible();

  await page.goto("/mailboxes?protocol=smtp");
  await expect(page.getByTestId("mailboxes-table").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("mailboxes-table")).toContainText("sender@contoso.com");
  await page.goto("/mailboxes");
  await expect(page.getByTestId("mailbox-count")).toHaveText(/^2 mailboxes/);
  await page.screenshot({ path: "test-results/screenshots/mailboxes.png", fullPage: true });
});

test("an app registration in use cannot be deleted", async ({ page }) => {
  await signIn(page, admin);
  await page.goto(appUrl);
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("alert-error")).toContainText("2 mailboxes use this app registration");
});

test("support staff read configuration but every edit is refused, in the UI and by direct calls", async ({ page }) => {
  expect(saveMailboxCall).not.toBeNull();
  await signIn(page, support);
  await page.goto("/mailboxes");
  await expect(page.getByTestId("mailboxes-table")).toContainText("helpdesk@contoso.com");
  await expect(page.getByRole("link", { name: "New mailbox" })).toHaveCount(0);
  await page.goto(appUrl);
  await expect(page.getByTestId("guide-redirect-uri")).toBeVisible();
  await expect(page.getByRole("button", { name: "Check credentials" })).toHaveCount(0);
  for (const p of ["/app-registrations/new", `${appUrl}/edit`, "/mailboxes/new", `${mailboxUrl}/edit`, "/mailboxes/import"]) {
    const response = await page.goto(p);
    expect(response?.status(), p).toBe(403);
  }
  const forged = await page.request.post(saveMailboxCall!.url, {
    headers: saveMailboxCall!.headers,
    data: saveMailboxCall!.body.replaceAll("sender@contoso.com", "intruder@contoso.com"),
  });
  expect(await forged.text()).toContain("Your role does not allow this");
  const exported = await page.request.get("/mailboxes/export");
  expect(exported.status()).toBe(200);
  expect(await exported.text()).toContain("helpdesk@contoso.com");
  await signOut(page);
  await signIn(page, admin);
  await page.goto("/mailboxes");
  await expect(page.getByTestId("mailboxes-table")).not.toContainText("intruder@contoso.com");
});
