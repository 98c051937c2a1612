import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { setTestRuntime } from "../../testing/alerting.ts";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import { activeAlerts } from "./alerts.ts";
import { evaluateRule } from "./evaluate.ts";
import { createRule } from "./rules.ts";
import { createSilence } from "./silences.ts";

// A silence whose regex would take a backtracking engine forever, through a whole evaluation.

setupTestDatabase();
beforeAll(() => setTestRuntime());

describe("a silence with a catastrophic regular expression", () => {
  it("saves, and a full alert evaluation with it finishes and applies it as RE2 does", async () => {
    const { projectId } = await createOrgWithProject();
    // No instance of either service is registered: both rules fire at once.
    const hostile = `${"a".repeat(200)}b`;
    const rules = [];
    for (const service of [hostile, "Checkout"])
      rules.push(
        await createRule(projectId, {
          name: `Down ${service.length}`,
          spec: { kind: "registry", condition: "passing_below", service, threshold: 1 },
        }),
      );
    await createSilence(
      projectId,
      { matchers: ["service=~(a+)+"], endsAt: new Date(Date.now() + 3_600_000) },
      "test",
    );
    await createSilence(
      projectId,
      { matchers: ["service=~(?i)check.*"], endsAt: new Date(Date.now() + 3_600_000) },
      "test",
    );
    for (const rule of rules)
      await evaluateRule(
        await db().prisma.alertRule.findUniqueOrThrow({
          where: { projectId_id: { projectId, id: rule.id } },
        }),
        Date.now(),
      );
    const held = Object.fromEntries(
      (await activeAlerts(projectId)).map((alert) => [alert.labels.service, alert.suppressed]),
    );
    // (a+)+ does not match a value ending in b; (?i)check.* matches Checkout.
    expect(held).toEqual({ [hostile]: null, Checkout: "silenced" });
  });
});
