// The small HTML pages of the sign-in flow: account picker, consent, Microsoft-style error page,
// and the form_post auto-submit page. Plain forms, so a browser test clicks buttons as a person
// would and a fetch-driven test posts the same fields.
import { escapeHtml as h } from "../http/server";
import type { User } from "../directory";
import { aadTimestamp, errorDescription, type AadError, type ErrorIds } from "./errors";

const STYLE = `
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:440px;margin:48px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}
.brand{font-size:15px;color:#5e5e5e;margin-bottom:20px}
ul{list-style:none;padding:0;margin:0}
li{margin:0 0 8px}
button.account{display:block;width:100%;text-align:left;padding:12px;border:1px solid #ccc;background:#fff;cursor:pointer;font:inherit}
button.account:hover,button.account:focus{background:#f2f2f2}
button.account.hinted{border:2px solid #0067b8}
.upn{display:block;color:#5e5e5e;font-size:13px}
.hint{color:#0067b8;font-size:12px}
.actions{margin-top:24px;display:flex;gap:8px;justify-content:flex-end}
.actions button{padding:6px 24px;font:inherit;border:0;cursor:pointer}
.primary{background:#0067b8;color:#fff}
.secondary{background:#ccc}
.details{font-size:12px;color:#5e5e5e;word-break:break-all}
`;

function layout(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${h(title)}</title><style>${STYLE}</style></head><body><main><div class="brand">Microsoft (stand-in)</div>${body}</main></body></html>`;
}

export function accountPickerPage(p: { action: string; transactionId: string; appName: string; users: User[]; loginHint?: string; heading?: string }): string {
  const hint = p.loginHint?.toLowerCase();
  const items = p.users
    .map((u) => {
      const hinted = hint !== undefined && (u.upn === hint || u.mail === hint);
      return `<li><button type="submit" class="account${hinted ? " hinted" : ""}" name="user" value="${h(u.id)}" data-upn="${h(u.upn)}"${hinted ? ' autofocus aria-current="true"' : ""}>${h(u.displayName)}<span class="upn">${h(u.upn)}</span>${hinted ? '<span class="hint">Suggested by the application</span>' : ""}</button></li>`;
    })
    .join("");
  const empty = p.users.length === 0 ? "<p>No account can sign in to this application here.</p>" : "";
  return layout(
    "Sign in to your account",
    `<h1>${h(p.heading ?? "Pick an account")}</h1><p>to continue to ${h(p.appName)}</p>${empty}<form method="post" action="${h(p.action)}"><input type="hidden" name="ctx" value="${h(p.transactionId)}"><ul>${items}</ul></form>`,
  );
}

export interface ConsentItem {
  name: string;
  description: string;
  resource: string;
}

export function consentPage(p: { action: string; transactionId: string; appName: string; publisher: string; user: User; items: ConsentItem[]; forOrganization: boolean }): string {
  const list = p.items.map((i) => `<li data-scope="${h(i.name)}"><strong>${h(i.description)}</strong><span class="upn">${h(i.resource)}: ${h(i.name)}</span></li>`).join("");
  const org = p.forOrganization ? "<p>Accepting grants these permissions for your whole organization.</p>" : "";
  return layout(
    "Permissions requested",
    `<div class="upn">${h(p.user.upn)}</div><h1>Permissions requested</h1><p><strong>${h(p.appName)}</strong><br><span class="upn">${h(p.publisher)}</span></p><p>This app would like to:</p><ul>${list}</ul>${org}<form method="post" action="${h(p.action)}"><input type="hidden" name="ctx" value="${h(p.transactionId)}"><div class="actions"><button type="submit" class="secondary" name="decision" value="cancel">Cancel</button><button type="submit" class="primary" name="decision" value="accept">Accept</button></div></form>`,
  );
}

/** Microsoft's "Sorry, but we're having trouble signing you in" page. */
export function errorPage(err: AadError, ids: ErrorIds): string {
  const message = errorDescription(err, ids).split("\r\n")[0]!;
  return layout(
    "Sign in to your account",
    `<h1>Sign in</h1><p>Sorry, but we’re having trouble signing you in.</p><p id="error-message" data-code="AADSTS${err.code}">${h(message)}</p><div class="details"><p>Troubleshooting details</p><p>Request Id: ${h(ids.traceId)}<br>Correlation Id: ${h(ids.correlationId)}<br>Timestamp: ${h(aadTimestamp(ids.now))}<br>Message: ${h(message)}</p></div>`,
  );
}

export function messagePage(title: string, text: string): string {
  return layout(title, `<h1>${h(title)}</h1><p>${h(text)}</p>`);
}

/** response_mode=form_post: an auto-submitting form to the redirect URI (works without JS via the button). */
export function formPostPage(action: string, params: Record<string, string>): string {
  const inputs = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${h(k)}" value="${h(v)}">`)
    .join("");
  return `<!DOCTYPE html><html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="${h(action)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript></form><script>document.forms[0].submit();</script></body></html>`;
}
