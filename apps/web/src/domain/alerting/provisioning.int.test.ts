import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setTestRuntime } from "../../testing/alerting.ts";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import { routingOf } from "./config.ts";
import { provisionAlerts } from "./provisioning.ts";
import { listReceivers } from "./receivers.ts";
import { createRule, listRules } from "./rules.ts";
import { listSilences } from "./silences.ts";

// The documented example file provisions as it says, a second start replaces what the file
// made without touching what users made, and a bad file is refused with where and why.

// The example's hosts become 127.0.0.1 here (nothing resolves outside): internal targets allowed.
process.env.VIGIL_ALLOW_INTERNAL_TARGETS = "true";
setupTestDatabase();
const example = fileURLToPath(new URL("../../../../../docs/alerts.example.yaml", import.meta.url));
let projectId: string;
let dir: string;

beforeAll(async () => {
  setTestRuntime();
  ({ projectId } = await createOrgWithProject());
  dir = await mkdtemp(join(tmpdir(), "vigil-provision-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("provisioning alerting from YAML", () => {
  it("applies the documented example, and a second start keeps what users made", async () => {
    const hostsFree = (await readFile(example, "utf8")).replaceAll(
      /https:\/\/[a-z.]+example\.com/g,
      "http://127.0.0.1:9",
    );
    const file = join(dir, "alerts.yaml");
    await writeFile(file, hostsFree);
    expect(await provisionAlerts(file, projectId)).toEqual({
      projectId,
      receivers: 2,
      rules: 5,
      silences: 1,
    });
    await createRule(projectId, {
      name: "MadeInUi",
      spec: { kind: "registry", condition: "instance_critical" },
    });
    await writeFile(
      file,
      hostsFree.replace(/ {6}- alert: CheckoutCapacity[\s\S]*?severity: critical }\n/, ""),
    );
    await provisionAlerts(file, projectId);
    const rules = await listRules(projectId);
    expect(rules.map((rule) => [rule.name, rule.provisioned])).toEqual([
      ["CheckoutErrors", true],
      ["CheckoutSlow", true],
      ["CheckoutStopped", true],
      ["InstanceCritical", true],
      ["MadeInUi", false],
    ]);
    const slow = rules.find((rule) => rule.name === "CheckoutSlow");
    expect([slow?.description, slow?.for, slow?.keepFiringFor, slow?.interval]).toEqual([
      "p95(http.server.request.duration{service=checkout}) over 5m > 0.5",
      120,
      300,
      30,
    ]);
    expect(
      (await listReceivers(projectId)).map((receiver) => [receiver.name, receiver.headerNames]),
    ).toEqual([
      ["chat", []],
      ["ops", ["X-Team"]],
    ]);
    const routing = await routingOf(projectId);
    expect([
      routing.route.groupBy,
      routing.route.routes?.[0]?.receiver,
      routing.inhibitRules[0]?.equal,
    ]).toEqual([["alertname", "service"], "chat", ["service"]]);
    expect((await listSilences(projectId)).map((silence) => silence.matchers)).toEqual([
      ["service=legacy-reports"],
    ]);
  });

  it("refuses a bad file, naming the file, the entry and the problem, and changes nothing", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(
      file,
      "groups:\n  - name: g\n    rules:\n      - alert: Broken\n        metric: m\n        condition: above 3\n",
    );
    const before = await listRules(projectId);
    await expect(provisionAlerts(file, projectId)).rejects.toThrow(
      `${file}: groups[0].rules[0] (Broken): condition "above 3" must be an operator and a number, like "> 0.5"`,
    );
    await writeFile(file, "receivers: [{ name: x }]\n");
    await expect(provisionAlerts(file, projectId)).rejects.toThrow(/receivers\.0\.url/);
    await writeFile(file, "groups: [: nope");
    await expect(provisionAlerts(file, projectId)).rejects.toThrow(/not valid YAML/);
    expect(await listRules(projectId)).toEqual(before);
  });
});
