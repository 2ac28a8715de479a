import fs from "node:fs";
import path from "node:path";
import { expect, test, type Request } from "@playwright/test";
import { admin, signIn, signOut, support } from "../support/accounts";

// API keys and the token API end to end: an admin creates a key (shown once, then only its prefix),
// support staff see it but cannot create one (not even by calling the action directly), and software
// holding the key gets a token for adele.vance@contoso.com (connected by spec 05) from the portal's one
// port, served by lib/server's fast path. Revoked, the key is refused.

test.describe.configure({ mode: "serial" });

const ADELE = "adele.vance@contoso.com";
const KEY_NAME = "Help desk poller (e2e)";
let apiKey = "";
let prefix = "";
let accessToken = "";
let createAction: { url: string; headers: Record<string, string>; body: Buffer } | null = null;

function captureAction(req: Request) {
  const headers = req.headers();
  if (req.method() !== "POST" || !headers["next-action"]) return null;
  return {
    url: req.url(),
    headers: Object.fromEntries(Object.entries(headers).filter(([k]) => ["next-action", "content-type", "accept", "next-router-state-tree"].includes(k))),
    body: req.postDataBuffer() ?? Buffer.alloc(0),
  };
}

test("an admin creates an API key from Settings: shown once, then only its prefix", async ({ page }) => {
  await signIn(page, admin);
  await page.goto("/settings");
  await page.getByRole("link", { name: "API keys" }).click();
  await page.waitForURL("**/settings/api-keys");
  page.on("request", (req) => {
    const captured = captureAction(req);
    if (captured && captured.body.includes(Buffer.from(KEY_NAME))) createAction = captured;
  });

  const form = page.getByRole("form", { name: "New API key" });
  await form.getByRole("button", { name: "Create API key" }).click();
  await expect(form.locator('[data-field-error="name"]')).toBeVisible();

  await form.getByLabel("Name").fill(KEY_NAME);
  await form.getByLabel(/^mailboxes:read/).check();
  await form.getByLabel("Chosen mailboxes").check();
  await form.getByLabel("Mailbox addresses").fill("nobody@contoso.com");
  await form.getByRole("button", { name: "Create API key" }).click();
  await expect(form.locator('[data-field-error="mailboxes"]')).toContainText("nobody@contoso.com");

  await form.getByLabel("Mailbox addresses").fill(ADELE);
  await form.getByRole("button", { name: "Create API key" }).click();
  const shown = page.getByTestId("new-api-key-value");
  await expect(shown).toBeVisible();
  apiKey = (await shown.textContent())!.trim();
  expect(apiKey).toMatch(/^mop_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}$/);
  prefix = apiKey.slice(0, 12);
  const row = page.locator(`tr[data-key-prefix="${prefix}"]`);
  await expect(row).toContainText(KEY_NAME);
  await expect(row).toContainText(ADELE);
  await expect(row).toContainText("token:read mailboxes:read");
  await expect(row.getByTestId("key-last-used")).toContainText("never");
  await page.screenshot({ path: "test-results/screenshots/api-key-created.png", fullPage: true });

  // Shown once: after a reload only the prefix is on the page.
  await page.reload();
  await expect(row.getByTestId("key-prefix")).toHaveText(`${prefix}…`);
  expect(await page.content()).not.toContain(apiKey.slice(13));
  expect(createAction).not.toBeNull();
  await signOut(page);
});

test("support staff see the key and its last use, cannot create one, and a direct call is refused", async ({ page }) => {
  await signIn(page, support);
  await page.getByRole("link", { name: "API", exact: true }).click();
  await page.waitForURL("**/api");
  await page.getByRole("link", { name: "API keys" }).click();
  await page.waitForURL("**/settings/api-keys");
  const row = page.locator(`tr[data-key-prefix="${prefix}"]`);
  await expect(row).toContainText(KEY_NAME);
  await expect(page.getByRole("form", { name: "New API key" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  await expect(page.getByTestId("api-keys-read-only")).toBeVisible();

  const before = await page.locator("tr[data-key-prefix]").count();
  const forged = await page.request.post(createAction!.url, { headers: createAction!.headers, data: createAction!.body });
  expect(await forged.text()).toContain("Your role does not allow this");
  await page.reload();
  await expect(page.locator("tr[data-key-prefix]")).toHaveCount(before);
  await signOut(page);
});

test("software with the key gets a token for adele.vance@contoso.com from the portal's port", async ({ request }) => {
  const auth = { authorization: `Bearer ${apiKey}` };
  const answer = await request.post(`/api/v1/mailboxes/${ADELE}/token?protocol=imap`, { headers: auth });
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toBe("application/json; charset=utf-8");
  const token = (await answer.json()) as { access_token: string; token_type: string; audience: string; sasl_user: string; xoauth2: string; server: { host: string; security: string }; expires_at: string };
  accessToken = token.access_token;
  expect(token).toMatchObject({ token_type: "Bearer", audience: "https://outlook.office.com", sasl_user: ADELE, server: { host: "127.0.0.1", security: "tls" } });
  const claims = JSON.parse(Buffer.from(token.access_token.split(".")[1]!, "base64url").toString("utf8")) as { aud: string; upn: string; scp: string };
  expect(claims).toMatchObject({ aud: "https://outlook.office.com", upn: ADELE });
  expect(claims.scp).toContain("IMAP.AccessAsUser.All");
  expect(Buffer.from(token.xoauth2, "base64").toString("utf8")).toBe(`user=${ADELE}\x01auth=Bearer ${token.access_token}\x01\x01`);
  expect(Date.parse(token.expires_at)).toBeGreaterThan(Date.now() + 5 * 60_000);

  // The same token again, from memory; the list shows only the mailbox the key may reach; Megan is "not found".
  expect(((await (await request.post(`/api/v1/mailboxes/${ADELE}/token?protocol=smtp`, { headers: auth })).json()) as { access_token: string }).access_token).toBe(accessToken);
  const list = (await (await request.get("/api/v1/mailboxes", { headers: auth })).json()) as { data: { address: string }[]; next_cursor: string | null };
  expect(list.data.map((m) => m.address)).toEqual([ADELE]);
  const megan = await request.post("/api/v1/mailboxes/megan.bowen@contoso.com/token?protocol=imap", { headers: auth });
  expect(megan.status()).toBe(404);
  expect(megan.headers()["content-type"]).toBe("application/problem+json; charset=utf-8");
  // health:read was not given.
  expect((await request.get(`/api/v1/mailboxes/${ADELE}/health`, { headers: auth })).status()).toBe(403);
  const openapi = (await (await request.get("/api/v1/openapi.json")).json()) as { openapi: string; servers: { url: string }[] };
  expect(openapi.openapi).toBe("3.1.0");
});

test("the page shows the key's last use; revoked, the key is refused", async ({ page, request }) => {
  await signIn(page, admin);
  await page.goto("/settings/api-keys");
  const row = page.locator(`tr[data-key-prefix="${prefix}"]`);
  // Last use is written in batches every few seconds (API_USAGE_FLUSH_SECONDS).
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId("key-last-used")).not.toContainText("never", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(row.getByTestId("key-last-used")).toContainText("2 tokens");

  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");
  const refused = await request.post(`/api/v1/mailboxes/${ADELE}/token?protocol=imap`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toContain('error="invalid_token"');

  await page.goto("/api");
  await expect(page.getByTestId("api-base-url")).toHaveText(new URL(page.url()).origin);
  const origin = new URL(page.url()).origin;
  await expect(page.getByTestId("example-curl")).toContainText(`${origin}/api/v1/mailboxes/helpdesk@contoso.com/token?protocol=imap`);
  for (const id of ["node-imapflow", "python-imaplib", "java-mail", "dotnet-mailkit"]) await expect(page.getByTestId(`example-${id}`)).toContainText(`"${origin}"`);
  await page.screenshot({ path: "test-results/screenshots/api-page.png", fullPage: true });

  await page.goto("/audit");
  await expect(page.getByTestId("audit-table")).toContainText("api_key.created");
  await expect(page.getByTestId("audit-table")).toContainText("api_key.revoked");
  await expect(page.getByTestId("audit-table")).toContainText("api_key.change_denied");
});

test("neither the key nor the token is in the database file, the audit log or the portal's log", async () => {
  // Give the batched writes (issuance counts, denials) time to land, then search the bytes.
  await new Promise((r) => setTimeout(r, 6000));
  const dataDir = path.resolve(".e2e-data");
  const haystacks = [...fs.readdirSync(dataDir).filter((f) => f.startsWith("portal.db")).map((f) => fs.readFileSync(path.join(dataDir, f))), fs.readFileSync("test-results/e2e-portal.log")];
  expect(apiKey.length).toBeGreaterThan(0);
  expect(accessToken.length).toBeGreaterThan(0);
  for (const secret of [apiKey, apiKey.slice(13), accessToken]) for (const hay of haystacks) expect(hay.includes(Buffer.from(secret))).toBe(false);
});
