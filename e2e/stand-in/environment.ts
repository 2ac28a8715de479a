// The only place the stand-in reads process.env (same rule as lib/env.ts for the portal).
import { z } from "zod";

const schema = z.object({
  /** An existing extra-CA bundle (one file, toolchain notes): our bundle copies it and appends our CA. */
  NODE_EXTRA_CA_CERTS: z.string().min(1).optional(),
  /** Set by `cli.ts run` / the env block: tests attach to that running stand-in instead of starting one. */
  STAND_IN_STATE_FILE: z.string().min(1).optional(),
});

export type StandInEnvironment = z.infer<typeof schema>;

export function readStandInEnvironment(source: Record<string, string | undefined> = process.env): StandInEnvironment {
  return schema.parse({
    NODE_EXTRA_CA_CERTS: source.NODE_EXTRA_CA_CERTS || undefined,
    STAND_IN_STATE_FILE: source.STAND_IN_STATE_FILE || undefined,
  });
}
