// Adds up the JSON reports of Vitest and Playwright into one closing line: "N passed, N failed, N skipped".
import fs from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of [".test-reports/vitest-unit.json", ".test-reports/vitest-integration.json"]) {
  if (!fs.existsSync(file)) continue;
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
if (fs.existsSync(".test-reports/playwright.json")) {
  const s = JSON.parse(fs.readFileSync(".test-reports/playwright.json", "utf8")).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
}
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
