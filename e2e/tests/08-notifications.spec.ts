import fs from "node:fs";
import path from "node:path";
import { expect, test, type Request } from "@playwright/test";
import { loadDocumentedNodeVerifier } from "../../lib/notify/test-support/documented-verifiers";
import { startWebhookReceiver, type WebhookReceiver } from "../../lib/notify/test-support/webhook-receiver";
import { admin, signIn, signOut, support } from "../support/accounts";
import { e2eStandIn } from "../support/e2e-stand-in";

// Notifications in the browser: an admin opens Settings → Notifications, adds a webhook channel pointing at
// a receiver this test runs (written from the README: it verifies the signature and the 5-minute window),
// presses Send test and sees the delivery with the receiver's response code in the log; then an e-mail
// channel through Adele's connected mailbox (05) whose test arrives at the stand-in's Postfix. Support staff
// are refused the page, and the captured actions replayed as support are refused too.

test.describe.configure({ mode: "serial" });

const ADELE = "adele.vance@contoso.com";
const MEGAN = "megan.bowen@contoso.com";

let receiver: WebhookReceiver;
let generatedSecret = "";
const captured: Record<string, { url: string; headers: Record<string, string>; body: string }> = {};

function captureAction(req: Request, name: string, marker: string) {
  const headers = req.headers();
  const body = req.postData() ?? "";
  if (req.method() !== "POST" || !headers["next-action"] || !body.includes(marker)) return;
  captured[name] = {
    url: req.url(),
    headers: Object.fromEntries(Object.entries(headers).filter(([k]) => ["next-action", "content-type", "accept", "next-router-state-tree"].includes(k))),
    body,
  };
}

test.beforeAll(async () => {
  receiver = await startWebhookReceiver(await loadDocumentedNodeVerifier(), "");
});
test.afterAll(async () => {
  await receiver?.close();
});

test("an admin adds a webhook channel, sends a test and sees the delivery with its response code", async ({ page }) => {
  await signIn(page, admin);
  await page.goto("/settings");
  await page.getByRole("link", { name: "Notifications" }).click();
  await page.waitForURL("**/settings/notifications");
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  await expect(page.getByTestId("webhook-format")).toContainText("X-Portal-Signature");
  await expect(page.getByTestId("webhook-node")).toContainText("verifyPortalSignature");

  page.on("request", (req) => captureAction(req, "create", "Browser receiver"));
  const form = page.getByRole("form", { name: "Add a channel" });
  // Bad input first: explained beside the fields, and kept.
  await form.getByLabel("Channel name").fill("Browser receiver");
  await form.getByLabel("Receiver URL").fill("ftp://nowhere");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(form.locator('[data-field-error="url"]')).toContainText("http://");
  await expect(form.getByLabel("Channel name")).toHaveValue("Browser receiver");

  await form.getByLabel("Receiver URL").fill(receiver.url);
  await form.getByRole("button", { name: "Add channel" }).click();
  const secret = (await page.getByTestId("generated-secret-value").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  receiver.secret = secret;
  generatedSecret = secret;

  const channel = page.locator('li[data-channel="Browser receiver"]');
  await expect(channel).toContainText(receiver.url);
  page.on("request", (req) => captureAction(req, "test", "nch_"));
  await channel.getByRole("button", { name: "Send test" }).click();
  await expect(channel.getByTestId("alert-success")).toHaveText("Test delivered (HTTP 200).");
  expect(receiver.received).toHaveLength(1);
  expect(receiver.received[0]).toMatchObject({ verified: true, answered: 200 });

  const log = page.getByTestId("delivery-log");
  const row = log.locator('tr[data-delivery-channel="Browser receiver"]').first();
  await expect(row).toContainText("notification.test");
  await expect(row).toContainText("Delivered");
  await expect(row.getByTestId("response-code")).toHaveText("200");

  // A receiver in trouble: its 500 is in the log, with the retry that follows.
  receiver.script([500]);
  await channel.getByRole("button", { name: "Send test" }).click();
  await expect(channel.getByTestId("alert-warning")).toContainText("Test not delivered (HTTP 500)");
  await page.reload();
  const failed = page.getByTestId("delivery-log").locator('tr[data-delivery-channel="Browser receiver"][data-status="failed"]').first();
  await expect(failed.getByTestId("response-code")).toHaveText("500");
  await expect(page.getByTestId("delivery-log").locator('tr[data-delivery-channel="Browser receiver"][data-status="retrying"]')).toHaveCount(1);
  await page.screenshot({ path: "test-results/screenshots/notifications.png", fullPage: true });
  expect(receiver.received.map((r) => r.verified)).toEqual([true, true]);
});

test("an e-mail channel through a connected mailbox: the test arrives at the stand-in's Postfix", async ({ page }) => {
  await signIn(page, admin);
  await page.goto("/settings/notifications");
  const form = page.getByRole("form", { name: "Add a channel" });
  await form.getByLabel("Channel name").fill("IT by e-mail");
  await form.getByLabel("Kind").selectOption("email");
  await form.getByLabel("Recipients").fill(MEGAN);
  await form.getByLabel("Send through").selectOption("mailbox");
  await form.getByLabel("Sending mailbox").selectOption({ label: `${ADELE} (SMTP)` });
  await form.getByRole("button", { name: "Add channel" }).click();
  const channel = page.locator('li[data-channel="IT by e-mail"]');
  await expect(channel).toContainText(`To ${MEGAN} · through ${ADELE}`);
  await channel.getByRole("button", { name: "Send test" }).click();
  await expect(channel.getByTestId("alert-success")).toHaveText("Test delivered (250).");
  const delivered = await e2eStandIn().control.delivered(MEGAN);
  expect(delivered.some((m) => m.from === ADELE && m.raw.replace(/\r?\n[ \t]+/g, " ").includes("Test notification: IT by e-mail"))).toBe(true);
});

test("support staff are refused the page, and its actions called directly", async ({ page }) => {
  expect(captured.create && captured.test).toBeTruthy();
  await signIn(page, support);
  const response = await page.goto("/settings/notifications");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Your role cannot open this page" })).toBeVisible();

  // Only the admin's two tests (and the retry of the one answered 500, which carries its id) may arrive.
  const sentByAdmin = new Set(receiver.received.map((r) => r.headers["x-portal-event-id"]));
  const tested = await page.request.post(captured.test!.url, { headers: captured.test!.headers, data: captured.test!.body });
  expect(await tested.text()).toContain("Your role does not allow this");
  const forged = captured.create!.body.replaceAll("Browser receiver", "Mallory's receiver");
  const created = await page.request.post(captured.create!.url, { headers: captured.create!.headers, data: forged });
  expect(await created.text()).toContain("Your role does not allow this");
  expect(receiver.received.filter((r) => !sentByAdmin.has(r.headers["x-portal-event-id"]))).toEqual([]);
  await signOut(page);

  await signIn(page, admin);
  await page.goto("/settings/notifications");
  await expect(page.locator('li[data-channel="Mallory\'s receiver"]')).toHaveCount(0);
});

test("the webhook secret shown once is nowhere at rest: not in the database file, not in the log", () => {
  expect(generatedSecret).toMatch(/^whsec_/);
  const dataDir = path.resolve(".e2e-data");
  const files = fs.readdirSync(dataDir).filter((f) => f.startsWith("portal.db"));
  for (const hay of [...files.map((f) => fs.readFileSync(path.join(dataDir, f))), fs.readFileSync("test-results/e2e-portal.log")]) {
    expect(hay.includes(Buffer.from(generatedSecret))).toBe(false);
  }
});
