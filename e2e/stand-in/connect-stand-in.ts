// Attach to a stand-in another process started (`npm run stand-in`, `cli.ts run`), from its
// state.json: the same client surface as startStandIn() minus stop() and in-process checks.
import fs from "node:fs";
import { StandInControl } from "./control/control-client";
import { loadFixtures } from "./fixtures";
import type { AppCertificateFiles, StandInClient } from "./start-stand-in";
import { readStateFile } from "./state-file";
import { createCaFetch } from "./test-support/ca-fetch";
import { createMsalNetworkClient } from "./test-support/msal-network-client";

export function connectStandIn(stateFile: string): StandInClient {
  const state = readStateFile(stateFile);
  if (!state) throw new Error(`no running stand-in described by ${stateFile}`);
  const caPem = fs.readFileSync(state.paths.caCert, "utf8");
  const fetchWithCa = createCaFetch(caPem);
  const appCertificates: Record<string, AppCertificateFiles[]> = {};
  for (const [clientId, list] of Object.entries(state.appCertificates)) {
    appCertificates[clientId] = list.map((c) => ({ ...c, certPem: fs.readFileSync(c.certPath, "utf8"), keyPem: fs.readFileSync(c.keyPath, "utf8") }));
  }
  return {
    urls: { ...state.urls, authority: (tenant) => `${state.urls.identity}/${tenant}` },
    hosts: { identity: new URL(state.urls.identity).host, graph: new URL(state.urls.graph).host, outlook: new URL(state.urls.outlook).host },
    mail: state.mail,
    paths: { ...state.paths, stateFile },
    caPem,
    fixtures: loadFixtures(state.paths.fixtures),
    appCertificates,
    control: new StandInControl(state.urls.control, fetchWithCa),
    fetch: fetchWithCa,
    msalNetworkClient: () => createMsalNetworkClient(fetchWithCa),
  };
}
