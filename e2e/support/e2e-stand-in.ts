import path from "node:path";
import type { Page } from "@playwright/test";
import { connectStandIn } from "../stand-in/connect-stand-in";
import type { StandInClient } from "../stand-in/start-stand-in";
import { standInCloudFields } from "./stand-in-cloud";

// The stand-in Playwright started for this run (playwright.config.ts), and what a person types to point
// an app registration at it.

let client: StandInClient | null = null;
export function e2eStandIn(): StandInClient {
  client ??= connectStandIn(path.resolve(".e2e-stand-in", "state.json"));
  return client;
}

const customLabels: Record<string, string> = {
  customLoginHost: "Login host",
  customGraphHost: "Graph host",
  customOutlookDelegatedResource: "Delegated IMAP/POP/SMTP resource",
  customExchangeResource: "Exchange (EWS, app-only) resource",
  customGraphResource: "Graph resource",
  customImapHost: "IMAP host",
  customPopHost: "POP3 host",
  customSmtpHost: "SMTP host",
  customEwsUrl: "EWS URL (optional)",
  customTrustedCaPem: "Extra trusted CA certificate (PEM, optional)",
};

/** Fills the app registration form's custom-cloud fields with the stand-in's hosts and CA. */
export async function fillStandInCloud(page: Page): Promise<void> {
  const fields = standInCloudFields(e2eStandIn());
  await page.getByLabel("Cloud", { exact: true }).selectOption("custom");
  for (const [name, label] of Object.entries(customLabels)) await page.getByLabel(label, { exact: true }).fill(fields[name] ?? "");
}

/** On the stand-in's sign-in page: pick the account, accept the consent screen if it shows. */
export async function signInAtMicrosoft(page: Page, upn: string): Promise<void> {
  await page.locator(`button[data-upn="${upn}"]`).click();
  const accept = page.getByRole("button", { name: "Accept" });
  await page.waitForURL((url) => url.pathname.includes("/oauth/result") || url.pathname.includes("/Consent") || url.pathname.includes("/login"), { timeout: 15_000 }).catch(() => undefined);
  if (await accept.isVisible().catch(() => false)) await accept.click();
}
