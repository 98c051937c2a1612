import type { BootstrapReport } from "../domain/bootstrap.ts";

/**
 * Shows the credentials a first start generated, once, on the terminal. Deliberately not through
 * the logger: log lines are shipped and kept, and secrets must never be logged.
 */
export function printFirstRunBanner(report: BootstrapReport, baseUrl: string): void {
  const lines: string[] = [];
  if (report.generatedAdmin) {
    lines.push(`Sign in at ${baseUrl}`);
    lines.push(`  email:    ${report.generatedAdmin.email}`);
    lines.push(`  password: ${report.generatedAdmin.password}`);
  }
  if (report.generatedIngestKey) {
    if (lines.length > 0) lines.push("");
    lines.push("Ingest key for the default project (send it as Authorization: Bearer <key>):");
    lines.push(`  ${report.generatedIngestKey}`);
  }
  if (lines.length === 0) return;
  lines.push("", "These are shown only this once. Keys can be created and revoked under Settings.");
  const width = Math.max(...lines.map((line) => line.length)) + 2;
  const rule = "─".repeat(width);
  const body = lines.map((line) => `│ ${line.padEnd(width - 1)}│`).join("\n");
  process.stdout.write(`\n┌${rule}┐\n${body}\n└${rule}┘\n\n`);
}
