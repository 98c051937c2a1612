import { readFileSync } from "node:fs";
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";

/**
 * Prints the page snapshot Playwright saves beside a failed test, so a failure in CI (where only
 * the log survives) shows what the page looked like.
 */
export default class PageSnapshotReporter implements Reporter {
  onTestEnd(test: TestCase, result: TestResult) {
    if (result.status === "passed" || result.status === "skipped") return;
    for (const attachment of result.attachments) {
      if (attachment.name !== "error-context" || !attachment.path) continue;
      const text = readFileSync(attachment.path, "utf8");
      const snapshot = text.slice(text.indexOf("```yaml"));
      process.stdout.write(`\nPage when "${test.title}" failed:\n${snapshot}\n\n`);
    }
  }
}
