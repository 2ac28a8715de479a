// Drives the stand-in's sign-in pages with plain HTTP, the way a browser would: GET the
// authorize URL, post the account pick, post the consent decision, and read what comes back to
// the redirect URI (query, fragment or form_post).
import type { CaFetch } from "./ca-fetch";

export interface AuthorizeOutcome {
  /** Parameters delivered to the redirect URI (code, state, session_state or error, error_description, state). */
  params: Record<string, string>;
  /** Where they were delivered. */
  redirectUri: string;
  /** Pages seen on the way: "picker", "consent", "error". */
  pages: string[];
  /** Session cookie set by the sign-in (for a later prompt=none / SSO request). */
  cookie?: string;
}

export interface DriveOptions {
  /** UPN or object ID of the account to click; required unless SSO via `cookie` applies. */
  user?: string;
  consent?: "accept" | "cancel";
  cookie?: string;
}

export class AuthorizeFlowError extends Error {
  constructor(
    message: string,
    readonly html: string,
  ) {
    super(message);
  }
}

function hidden(html: string, name: string): string | undefined {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  return m ? decode(m[1]!) : undefined;
}

function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);
}

function formAction(html: string): string | undefined {
  const m = /<form method="(?:post|POST)"[^>]*action="([^"]+)"/.exec(html);
  return m ? decode(m[1]!) : undefined;
}

function userButton(html: string, user: string): string | undefined {
  const re = /<button type="submit" class="account[^"]*" name="user" value="([^"]+)" data-upn="([^"]+)"/g;
  const want = user.toLowerCase();
  for (const m of html.matchAll(re)) if (m[1] === want || decode(m[2]!) === want) return m[1];
  return undefined;
}

function fromRedirect(location: string): { redirectUri: string; params: Record<string, string> } {
  const url = new URL(location);
  const params: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (params[k] = v));
  new URLSearchParams(url.hash.replace(/^#/, "")).forEach((v, k) => (params[k] = v));
  url.search = "";
  url.hash = "";
  return { redirectUri: url.toString(), params };
}

function fromFormPost(html: string): { redirectUri: string; params: Record<string, string> } {
  const action = /<form method="POST" name="hiddenform" action="([^"]+)"/.exec(html)![1]!;
  const params: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) params[decode(m[1]!)] = decode(m[2]!);
  return { redirectUri: decode(action), params };
}

export async function driveAuthorize(fetchWithCa: CaFetch, authorizeUrl: string, opts: DriveOptions = {}): Promise<AuthorizeOutcome> {
  const origin = new URL(authorizeUrl).origin;
  const pages: string[] = [];
  let cookie = opts.cookie;
  const headers = (): Record<string, string> => (cookie ? { Cookie: cookie } : {});
  let res = await fetchWithCa(authorizeUrl, { headers: headers() });
  for (let step = 0; step < 5; step++) {
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) cookie = setCookie.split(";")[0];
    if (res.status === 302) {
      const done = fromRedirect(res.headers.get("location")!);
      return { ...done, pages, ...(cookie ? { cookie } : {}) };
    }
    const html = await res.text();
    if (html.includes('name="hiddenform"')) return { ...fromFormPost(html), pages, ...(cookie ? { cookie } : {}) };
    if (html.includes('id="error-message"')) {
      pages.push("error");
      throw new AuthorizeFlowError(/id="error-message"[^>]*>([^<]*)</.exec(html)?.[1] ?? "error page", html);
    }
    const action = formAction(html);
    const ctx = hidden(html, "ctx");
    if (!action || !ctx) throw new AuthorizeFlowError(`unexpected page (HTTP ${res.status})`, html);
    if (html.includes('name="decision"')) {
      pages.push("consent");
      const decision = opts.consent ?? "accept";
      res = await fetchWithCa(new URL(action, origin), { method: "POST", headers: headers(), body: new URLSearchParams({ ctx, decision }) });
      continue;
    }
    pages.push("picker");
    if (!opts.user) throw new AuthorizeFlowError("the account picker is shown but no user was given", html);
    const value = userButton(html, opts.user);
    if (!value) throw new AuthorizeFlowError(`account ${opts.user} is not offered on the picker`, html);
    res = await fetchWithCa(new URL(action, origin), { method: "POST", headers: headers(), body: new URLSearchParams({ ctx, user: value }) });
  }
  throw new Error("authorize flow did not finish in 5 steps");
}
