import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";

// Golden files for generated text (manifest JSON, PowerShell). A missing golden is written and the test
// fails, so every golden is read and checked by hand before it counts; to regenerate one, delete it.
const GOLDEN_DIR = path.join(import.meta.dirname, "__golden__");

export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, actual);
    throw new Error(`Golden file ${name} did not exist and was written: check it by hand against the reference, then run the test again.`);
  }
  expect(actual).toBe(fs.readFileSync(file, "utf8"));
}
