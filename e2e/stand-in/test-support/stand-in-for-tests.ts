// One stand-in per test run: when the runner started one (`cli.ts run -- vitest ...` or
// `npm run stand-in` + the env block), tests attach to it through STAND_IN_STATE_FILE; otherwise
// the test file starts its own and stops it afterwards.
import { connectStandIn } from "../connect-stand-in";
import { readStandInEnvironment } from "../environment";
import { startStandIn, type StandInClient, type StartStandInOptions } from "../start-stand-in";

export interface TestStandIn {
  standIn: StandInClient;
  /** True when this file started it (and release() stops it). */
  owned: boolean;
  release(): Promise<void>;
}

export async function standInForTests(options: StartStandInOptions = {}): Promise<TestStandIn> {
  const { STAND_IN_STATE_FILE } = readStandInEnvironment();
  if (STAND_IN_STATE_FILE) {
    const standIn = connectStandIn(STAND_IN_STATE_FILE);
    await standIn.control.reset();
    return { standIn, owned: false, release: async () => {} };
  }
  const standIn = await startStandIn(options);
  return { standIn, owned: true, release: () => standIn.stop() };
}
