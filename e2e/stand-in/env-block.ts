// The environment a process needs to use a running stand-in, printed by `npm run stand-in` and
// passed to commands by `cli.ts run`.
import type { Fixtures } from "./fixtures";
import type { StateFile } from "./state-file";

export function standInEnvironment(state: StateFile, stateFilePath: string): Record<string, string> {
  const host = (url: string): string => new URL(url).host;
  const env: Record<string, string> = {
    STAND_IN_STATE_FILE: stateFilePath,
    // NODE_EXTRA_CA_CERTS takes one file: the system bundle plus the stand-in CA (toolchain notes).
    NODE_EXTRA_CA_CERTS: state.paths.caBundle,
    STAND_IN_CA_CERT: state.paths.caCert,
    STAND_IN_LOGIN_HOST: host(state.urls.identity),
    STAND_IN_IDENTITY_URL: state.urls.identity,
    STAND_IN_GRAPH_HOST: host(state.urls.graph),
    STAND_IN_GRAPH_URL: state.urls.graph,
    STAND_IN_OUTLOOK_HOST: host(state.urls.outlook),
    STAND_IN_EWS_URL: state.urls.ews,
    STAND_IN_CONTROL_URL: state.urls.control,
  };
  if (state.mail) {
    env.STAND_IN_IMAP = `${state.mail.imap.host}:${state.mail.imap.port}`;
    env.STAND_IN_POP3 = `${state.mail.pop3.host}:${state.mail.pop3.port}`;
    env.STAND_IN_SMTP = `${state.mail.smtp.host}:${state.mail.smtp.port}`;
    if (state.mail.pop3Starttls) env.STAND_IN_POP3_STARTTLS = `${state.mail.pop3Starttls.host}:${state.mail.pop3Starttls.port}`;
  }
  return env;
}

export function formatEnvBlock(state: StateFile, stateFilePath: string, fixtures: Fixtures): string {
  const lines = [`# Microsoft 365 stand-in, pid ${state.pid}, started ${state.startedAt} (ready in ${state.startupMs} ms)`];
  for (const [k, v] of Object.entries(standInEnvironment(state, stateFilePath))) lines.push(`export ${k}=${v}`);
  if (!state.mail) lines.push("# mail servers: not running (--no-mail, or e2e/stand-in/mail/ not available)");
  lines.push("#", "# Fixture tenants (authority = $STAND_IN_IDENTITY_URL/<tenant id or domain>):");
  for (const t of fixtures.tenants) lines.push(`#   ${t.key.padEnd(10)} ${t.id}  ${t.domains.join(", ") || "(personal accounts)"}`);
  lines.push("# Fixture apps (test-only secrets are in e2e/stand-in/fixtures.json):");
  for (const a of fixtures.apps) lines.push(`#   ${a.key.padEnd(10)} ${a.clientId}  ${a.signInAudience}`);
  for (const [clientId, certs] of Object.entries(state.appCertificates)) {
    for (const c of certs) lines.push(`#   certificate for ${clientId}: ${c.certPath} (key ${c.keyPath}, SHA-256 ${c.thumbprintSha256Hex})`);
  }
  return lines.join("\n");
}
