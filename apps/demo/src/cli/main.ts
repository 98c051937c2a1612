// The incident switches from a terminal, for the fleet `npm start` runs:
//   npm run demo -- status | pause-replica | resume-replica | flush-cache | hot-tenant on|off
//                   slow <service>|off | kill [instance] | revive | strategy round-robin|least-connections
// It finds the fleet through the file `npm start` writes in the data folder (VIGIL_DATA_DIR,
// default .vigil in the repository).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { dataDir } from "../env.ts";
import { commandFor, USAGE } from "./commands.ts";

const stateFile = join(dataDir(), "demo", "fleet.json");

const command = commandFor(process.argv.slice(2));
if ("problem" in command) {
  console.error(`${command.problem}\n\n${USAGE}`);
  process.exit(2);
}
const state = await readFile(stateFile, "utf8").catch(() => null);
if (!state) {
  console.error(`No demo fleet is running (${stateFile} is missing): start it with npm start.`);
  process.exit(1);
}
const { controlUrl } = JSON.parse(state) as { controlUrl: string };
const response = await fetch(
  `${controlUrl}${command.path}`,
  command.body === undefined
    ? undefined
    : {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(command.body),
      },
).catch((error: Error) => {
  console.error(`The demo fleet at ${controlUrl} did not answer (${error.message}).`);
  process.exit(1);
});
const answer = (await response.json()) as { error?: string; incidents?: unknown };
if (!response.ok) {
  console.error(answer.error ?? `the fleet answered ${response.status}`);
  process.exit(1);
}
console.log(JSON.stringify(answer.incidents, null, 2));
