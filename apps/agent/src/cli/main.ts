#!/usr/bin/env node
// npx @vigil/agent probe …: the agent's probes and registry heartbeats as a sidecar process.
import { parseProbeArgs, runProbes, USAGE } from "./probe.ts";

const [command, ...rest] = process.argv.slice(2);
if (command !== "probe") {
  console.error(USAGE);
  process.exit(command === "--help" || command === "-h" ? 0 : 2);
}
const parsed = parseProbeArgs(rest);
if (!parsed.ok) {
  console.error(`vigil-agent: ${parsed.problem}\n\n${USAGE}`);
  process.exit(2);
}
await runProbes(parsed.args, (message) => console.error(message));
