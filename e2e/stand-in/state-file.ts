// .stand-in/state.json: where a running stand-in listens and keeps its files, for the CLI
// (env block, stop) and for test processes that attach to it instead of starting their own.
import fs from "node:fs";
import { z } from "zod";

const hostPort = z.object({ host: z.string(), port: z.number().int() });

export const stateFileSchema = z.object({
  version: z.literal(1),
  pid: z.number().int(),
  startedAt: z.string(),
  startupMs: z.number(),
  urls: z.object({
    identity: z.string(),
    graph: z.string(),
    outlook: z.string(),
    ews: z.string(),
    control: z.string(),
  }),
  mail: z.object({ imap: hostPort, pop3: hostPort, smtp: hostPort, pop3Starttls: hostPort.optional() }).nullable(),
  paths: z.object({
    stateDir: z.string(),
    caCert: z.string(),
    caBundle: z.string(),
    leafCert: z.string(),
    leafKey: z.string(),
    fixtures: z.string(),
    log: z.string().optional(),
  }),
  appCertificates: z.record(
    z.string(),
    z.array(z.object({ id: z.string(), certPath: z.string(), keyPath: z.string(), thumbprintSha1Hex: z.string(), thumbprintSha256Hex: z.string() })),
  ),
});

export type StateFile = z.infer<typeof stateFileSchema>;

export function writeStateFile(file: string, state: StateFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function readStateFile(file: string): StateFile | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed = stateFileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  return parsed.success ? parsed.data : undefined;
}
