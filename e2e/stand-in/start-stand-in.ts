// startStandIn(): the whole local Microsoft 365 stand-in in this process: identity platform,
// Graph and EWS on three HTTPS listeners, plus the mail servers (./mail, when present).
// Used by the CLI (`npm run stand-in`), by tests (one per run) and by the demo.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { INetworkModule } from "@azure/msal-node";
import { AccessTokenVerifier } from "./access-token-verifier";
import { StandInControl } from "./control/control-client";
import { controlRoutes } from "./control/control-api";
import { createSigningKey } from "./crypto/signing-key";
import { Directory } from "./directory";
import { readStandInEnvironment } from "./environment";
import { ewsRoutes } from "./ews/ews-routes";
import { FaultBoard } from "./faults";
import { DEFAULT_FIXTURES_PATH, loadFixtures, type Fixtures } from "./fixtures";
import { graphError, sendGraphError } from "./graph/graph-errors";
import { graphRoutes } from "./graph/graph-routes";
import { HttpError, sendHtml, sendJson, startServer, type RequestContext, type StartedServer } from "./http/server";
import { adminConsentRoutes } from "./identity/admin-consent-endpoint";
import { authorizeRoutes } from "./identity/authorize-endpoint";
import type { IdentityDeps } from "./identity/deps";
import { discoveryRoutes } from "./identity/discovery-endpoint";
import { aad } from "./identity/errors";
import { sendTokenError } from "./identity/respond";
import { signInRoutes } from "./identity/sign-in-routes";
import { IdentityState } from "./identity/state";
import { TokenFactory } from "./identity/token-factory";
import { tokenRoutes } from "./identity/token-endpoint";
import { loadMailServers, type HostPort, type MailServers } from "./mail-contract";
import { MailStore } from "./mail-store";
import { RequestLog } from "./request-log";
import { DEFAULT_SETTINGS, type Settings } from "./settings";
import { writeStateFile, type StateFile } from "./state-file";
import { createCaFetch, type CaFetch } from "./test-support/ca-fetch";
import { createMsalNetworkClient } from "./test-support/msal-network-client";
import { ensureCa, issueLeafCertificate, selfSignedCertificate, writeCaBundle, type CertificateCredential } from "./tls";

export interface StartStandInOptions {
  /** Writable directory for certificates, keys, state.json and the mail servers. Default: a new temp dir. */
  stateDir?: string;
  fixturesPath?: string;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Host name used in URLs (default: the bind address). The leaf certificate also covers localhost and *.stand-in.localhost names. */
  publicHost?: string;
  /** Fixed ports (0 or absent = a free port). */
  ports?: { identity?: number; graph?: number; outlook?: number };
  /** Start Dovecot/Postfix through ./mail/start-mail-servers.ts: true, false, or "auto" (when the module exists). */
  mail?: boolean | "auto";
  /** Keep a CA from an earlier run in stateDir (default: true when stateDir is given). */
  reuseCa?: boolean;
  settings?: Partial<Settings>;
  /** Redirect URIs to register in addition to the fixtures (kept across reset()). */
  redirectUris?: Array<{ clientId: string; uri: string }>;
  log?: (line: string) => void;
}

export interface AppCertificateFiles {
  id: string;
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
  thumbprintSha1Hex: string;
  thumbprintSha256Hex: string;
}

/** What a test or tool needs to talk to a stand-in, whether it started it or attached to it. */
export interface StandInClient {
  urls: {
    /** The "login host" base URL: https://127.0.0.1:PORT */
    identity: string;
    graph: string;
    /** The outlook.office365.com stand-in (EWS). */
    outlook: string;
    ews: string;
    control: string;
    /** Authority URL for MSAL: `${identity}/${tenant}`. */
    authority(tenant: string): string;
  };
  /** host:port values, for knownAuthorities and host overrides. */
  hosts: { identity: string; graph: string; outlook: string };
  mail: { imap: HostPort; pop3: HostPort; smtp: HostPort; pop3Starttls?: HostPort } | null;
  paths: StateFile["paths"] & { stateFile: string };
  caPem: string;
  fixtures: Fixtures;
  appCertificates: Record<string, AppCertificateFiles[]>;
  control: StandInControl;
  /** fetch() that trusts the stand-in CA (no redirect following). */
  fetch: CaFetch;
  /** MSAL system.networkClient trusting the stand-in CA. */
  msalNetworkClient(): INetworkModule;
}

/** A stand-in running in this process. */
export interface StandIn extends StandInClient {
  verifyAccessToken(token: string): Promise<Record<string, unknown> | null>;
  startupMs: number;
  stop(): Promise<void>;
}

export async function startStandIn(options: StartStandInOptions = {}): Promise<StandIn> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const env = readStandInEnvironment();
  const stateDir = path.resolve(options.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "stand-in-")));
  fs.mkdirSync(stateDir, { recursive: true });
  // Never commit anything from here (keys!), whatever the repository's .gitignore says.
  fs.writeFileSync(path.join(stateDir, ".gitignore"), "*\n");
  const host = options.host ?? "127.0.0.1";
  const publicHost = options.publicHost ?? host;
  const fixturesPath = path.resolve(options.fixturesPath ?? DEFAULT_FIXTURES_PATH);
  const fixtures = loadFixtures(fixturesPath);

  // --- TLS and keys ---------------------------------------------------------------------------
  const ca = await ensureCa(path.join(stateDir, "ca"), options.reuseCa ?? options.stateDir !== undefined);
  const certJobs: Array<Promise<{ clientId: string; id: string; cred: CertificateCredential }>> = [];
  for (const app of fixtures.apps) {
    for (const c of app.certificates) {
      certJobs.push(selfSignedCertificate(path.join(stateDir, "apps"), `${app.key}-${c.id}`, c.subject).then((cred) => ({ clientId: app.clientId, id: c.id, cred })));
    }
  }
  const [leaf, signingCert, appCerts] = await Promise.all([
    issueLeafCertificate(path.join(stateDir, "tls"), ca, publicHost === host ? [] : [publicHost]),
    selfSignedCertificate(path.join(stateDir, "keys"), "token-signing", "/CN=stand-in token signing"),
    Promise.all(certJobs),
  ]);
  const caBundle = path.join(stateDir, "ca-bundle.pem");
  writeCaBundle(caBundle, ca.certPem, env.NODE_EXTRA_CA_CERTS);
  const appCertificates = new Map<string, Array<CertificateCredential & { id: string }>>();
  for (const { clientId, id, cred } of appCerts) appCertificates.set(clientId, [...(appCertificates.get(clientId) ?? []), { ...cred, id }]);

  // --- state ------------------------------------------------------------------------------------
  const signingKey = createSigningKey(signingCert);
  const directory = new Directory(fixtures, appCertificates);
  const state = new IdentityState();
  const faults = new FaultBoard();
  const requestLog = new RequestLog();
  const mailStore = new MailStore();
  const initialSettings: Settings = { ...DEFAULT_SETTINGS, ...options.settings };
  let settings: Settings = { ...initialSettings };
  const urls = { identity: "", graph: "", outlook: "" };
  const tokens = new TokenFactory(signingKey, () => settings, () => urls.identity, state);
  const verifier = new AccessTokenVerifier(signingKey, state, directory);
  const applyOptionRedirects = (): void => {
    for (const r of options.redirectUris ?? []) directory.addRedirectUri(r.clientId, r.uri);
  };
  applyOptionRedirects();
  mailStore.reset(directory.listMailboxes());

  let mailServers: MailServers | null = null;
  const identityDeps: IdentityDeps = {
    directory,
    state,
    tokens,
    faults,
    signingKey,
    settings: () => settings,
    baseUrl: () => urls.identity,
    graphBaseUrl: () => urls.graph,
  };

  const describe = (): unknown => ({
    urls: { ...urls, ews: `${urls.outlook}/EWS/Exchange.asmx`, control: `${urls.identity}/_stand-in` },
    mail: mailServers ? { imap: mailServers.imap, pop3: mailServers.pop3, smtp: mailServers.smtp } : null,
    caBundle,
    settings,
  });

  const internalError = (service: string) => async (ctx: RequestContext, error: unknown): Promise<void> => {
    if (error instanceof HttpError) return sendJson(ctx, error.status, { error: error.message });
    log(`[${service}] ${ctx.method} ${ctx.url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (service === "graph") return sendGraphError(ctx, graphError.serverError(), urls.identity);
    if (service === "identity") return sendTokenError(ctx, aad.serverError(), urls.identity);
    sendJson(ctx, 500, { error: "internal error in the stand-in" });
  };

  const tls = { certPem: leaf.certPem, keyPem: leaf.keyPem };
  const servers: StartedServer[] = [];
  try {
    const identityServer = await startServer({
      service: "identity",
      tls,
      host,
      port: options.ports?.identity ?? 0,
      routes: [
        ...controlRoutes({
          directory,
          state,
          tokens,
          faults,
          log: requestLog,
          mail: mailStore,
          settings: () => settings,
          updateSettings: (change) => (settings = { ...settings, ...change }),
          reset: () => {
            directory.reset();
            applyOptionRedirects();
            state.reset();
            faults.clear();
            requestLog.clear();
            settings = { ...initialSettings };
            mailStore.reset(directory.listMailboxes());
          },
          describe,
          delivered: (address) => (mailServers ? mailServers.delivered(address) : Promise.reject(new HttpError(404, "mail servers are not running"))),
        }).map((r) => ({ ...r, handler: async (ctx: RequestContext, m: RegExpExecArray) => ((ctx.service = "control"), (ctx.record.service = "control"), r.handler(ctx, m)) })),
        ...discoveryRoutes(identityDeps),
        ...authorizeRoutes(identityDeps),
        ...signInRoutes(identityDeps),
        ...adminConsentRoutes(identityDeps),
        ...tokenRoutes(identityDeps),
      ],
      log: requestLog,
      notFound: async (ctx) => sendHtml(ctx, 404, "<!DOCTYPE html><title>Not found</title><p>Not found</p>"),
      onError: internalError("identity"),
    });
    servers.push(identityServer);
    urls.identity = `https://${publicHost}:${identityServer.port}`;

    const graphServer = await startServer({
      service: "graph",
      tls,
      host,
      port: options.ports?.graph ?? 0,
      routes: graphRoutes({ directory, verifier, state, mail: mailStore, faults, baseUrl: () => urls.graph, identityBaseUrl: () => urls.identity }),
      log: requestLog,
      notFound: async (ctx) => sendGraphError(ctx, graphError.notFound(ctx.url.pathname), urls.identity),
      onError: internalError("graph"),
    });
    servers.push(graphServer);
    urls.graph = `https://${publicHost}:${graphServer.port}`;

    const outlookServer = await startServer({
      service: "ews",
      tls,
      host,
      port: options.ports?.outlook ?? 0,
      routes: ewsRoutes({ directory, verifier, state, mail: mailStore, faults, identityBaseUrl: () => urls.identity }),
      log: requestLog,
      notFound: async (ctx) => sendHtml(ctx, 404, "<!DOCTYPE html><title>404 - Not Found</title><h1>404 - Not Found</h1>"),
      onError: internalError("ews"),
    });
    servers.push(outlookServer);
    urls.outlook = `https://${publicHost}:${outlookServer.port}`;

    const wantMail = options.mail ?? "auto";
    if (wantMail !== false) {
      const startMailServers = await loadMailServers();
      if (startMailServers) {
        const mailDir = path.join(stateDir, "mail");
        fs.mkdirSync(mailDir, { recursive: true });
        mailServers = await startMailServers({
          stateDir: mailDir,
          tls: { certPath: leaf.certPath, keyPath: leaf.keyPath },
          mailboxes: directory.listMailboxes(),
          verifyAccessToken: (token) => verifier.verifyAccessToken(token),
          getMailbox: (address) => directory.mailbox(address),
        });
      } else if (wantMail === true) {
        throw new Error("mail servers requested but e2e/stand-in/mail/start-mail-servers.ts does not exist");
      } else {
        log("mail servers skipped: e2e/stand-in/mail/start-mail-servers.ts does not exist yet");
      }
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    if (mailServers) await mailServers.stop().catch(() => {});
    throw error;
  }

  const startupMs = Date.now() - started;
  const certFiles: Record<string, AppCertificateFiles[]> = {};
  for (const [clientId, list] of appCertificates) {
    certFiles[clientId] = list.map((c) => ({ id: c.id, certPath: c.certPath, keyPath: c.keyPath, certPem: c.certPem, keyPem: c.keyPem, thumbprintSha1Hex: c.thumbprintSha1Hex, thumbprintSha256Hex: c.thumbprintSha256Hex }));
  }
  const paths = { stateDir, caCert: ca.certPath, caBundle, leafCert: leaf.certPath, leafKey: leaf.keyPath, fixtures: fixturesPath };
  const stateFilePath = path.join(stateDir, "state.json");
  const control = `${urls.identity}/_stand-in`;
  const ews = `${urls.outlook}/EWS/Exchange.asmx`;
  const mail = mailServers ? { imap: mailServers.imap, pop3: mailServers.pop3, smtp: mailServers.smtp, ...(mailServers.pop3Starttls ? { pop3Starttls: mailServers.pop3Starttls } : {}) } : null;
  writeStateFile(stateFilePath, {
    version: 1,
    pid: process.pid,
    startedAt: new Date(started).toISOString(),
    startupMs,
    urls: { ...urls, ews, control },
    mail,
    paths,
    appCertificates: Object.fromEntries(Object.entries(certFiles).map(([k, v]) => [k, v.map(({ certPem: _c, keyPem: _k, ...rest }) => rest)])),
  });
  log(`stand-in ready in ${startupMs} ms: identity ${urls.identity}, graph ${urls.graph}, outlook ${urls.outlook}`);

  const fetchWithCa = createCaFetch(ca.certPem);
  let stopped = false;
  return {
    urls: { ...urls, ews, control, authority: (tenant) => `${urls.identity}/${tenant}` },
    hosts: { identity: new URL(urls.identity).host, graph: new URL(urls.graph).host, outlook: new URL(urls.outlook).host },
    mail,
    paths: { ...paths, stateFile: stateFilePath },
    caPem: ca.certPem,
    fixtures,
    appCertificates: certFiles,
    control: new StandInControl(control, fetchWithCa),
    fetch: fetchWithCa,
    msalNetworkClient: () => createMsalNetworkClient(fetchWithCa),
    verifyAccessToken: (token) => verifier.verifyAccessToken(token),
    startupMs,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await Promise.all(servers.map((s) => s.close()));
      if (mailServers) await mailServers.stop();
      fs.rmSync(stateFilePath, { force: true });
    },
  };
}
