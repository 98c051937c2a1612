import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as postReceiverRoute } from "../../app/api/v1/alerts/receivers/route.ts";
import {
  PUT as putRoutingRoute,
  GET as routingRoute,
} from "../../app/api/v1/alerts/routing/route.ts";
import {
  DELETE as deleteRuleRoute,
  PUT as putRuleRoute,
} from "../../app/api/v1/alerts/rules/[ruleId]/route.ts";
import {
  GET as listRulesRoute,
  POST as postRuleRoute,
} from "../../app/api/v1/alerts/rules/route.ts";
import { POST as postSilenceRoute } from "../../app/api/v1/alerts/silences/route.ts";
import { setTestRuntime } from "../../testing/alerting.ts";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import { createApiKey } from "../keys/api-keys.ts";

// Alerting as code over the REST API: admin keys write, read keys read, bad input says what is
// wrong, and another project's ids are not found.

setupTestDatabase();
let admin: string;
let read: string;
let otherAdmin: string;

beforeAll(async () => {
  setTestRuntime();
  const { projectId } = await createOrgWithProject();
  admin = (await createApiKey({ projectId, name: "ci", scope: "admin" })).secret;
  read = (await createApiKey({ projectId, name: "dash", scope: "read" })).secret;
  const other = await createOrgWithProject();
  otherAdmin = (await createApiKey({ projectId: other.projectId, name: "ci", scope: "admin" }))
    .secret;
});

const call = (key: string, method: string, body?: unknown) =>
  new Request("http://vigil.test/api", {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
const none = { params: Promise.resolve({}) };
const rule = {
  name: "HighLatency",
  spec: {
    kind: "metric",
    metric: "http.server.request.duration",
    service: "api",
    agg: "p95",
    window: "5m",
    op: ">",
    threshold: 0.5,
  },
  for: "2m",
  labels: { severity: "critical" },
  annotations: { summary: "p95 of {{ $labels.service }} is {{ $value }} s" },
};

describe("the alerting REST API", () => {
  it("creates, lists, replaces and deletes a rule with an admin key", async () => {
    const created = await postRuleRoute(call(admin, "POST", rule), none);
    expect(created.status).toBe(201);
    const {
      id,
      description,
      for: holdFor,
    } = (await created.json()) as { id: string; description: string; for: number };
    expect([description, holdFor]).toEqual([
      "p95(http.server.request.duration{service=api}) over 5m > 0.5",
      120,
    ]);
    const listed = (await (await listRulesRoute(call(read, "GET"), none)).json()) as {
      name: string;
      state: string;
    }[];
    expect(listed.map((entry) => [entry.name, entry.state])).toEqual([["HighLatency", "inactive"]]);
    const params = { params: Promise.resolve({ ruleId: id }) };
    const replaced = await putRuleRoute(call(admin, "PUT", { ...rule, for: "5m" }), params);
    expect(((await replaced.json()) as { for: number }).for).toBe(300);
    expect((await putRuleRoute(call(otherAdmin, "PUT", rule), params)).status).toBe(404);
    expect((await deleteRuleRoute(call(admin, "DELETE"), params)).status).toBe(204);
  });

  it("answers what is wrong with a bad rule, a bad body and the wrong key", async () => {
    const bad = await postRuleRoute(
      call(admin, "POST", {
        ...rule,
        name: "Bad",
        spec: { ...rule.spec, op: "~", window: "5 minutes" },
        annotations: { summary: "{{ .Value }}" },
      }),
      none,
    );
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { message: string } };
    expect(error.message).toContain("op must be one of > >= < <= == !=");
    expect(error.message).toContain("window must be a duration");
    expect(error.message).toContain("{{ .Value }} is not a template Vigil knows");
    expect((await postRuleRoute(call(admin, "POST", "{not json"), none)).status).toBe(400);
    expect((await postRuleRoute(call(read, "POST", rule), none)).status).toBe(403);
    const twice = await postRuleRoute(call(admin, "POST", { ...rule, name: "Twice" }), none);
    expect(twice.status).toBe(201);
    const again = await postRuleRoute(call(admin, "POST", { ...rule, name: "Twice" }), none);
    expect([
      again.status,
      ((await again.json()) as { error: { message: string } }).error.message,
    ]).toEqual([409, "An alert rule named Twice already exists in this project"]);
  });

  it("shows a receiver's secret once and checks routes against the receivers", async () => {
    const created = await postReceiverRoute(
      call(admin, "POST", {
        name: "pager",
        url: "http://127.0.0.1:9/hook",
        headers: { Authorization: "Bearer t0ken" },
      }),
      none,
    );
    const body = (await created.json()) as { secret: string; receiver: { headerNames: string[] } };
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.receiver.headerNames).toEqual(["Authorization"]);
    expect(JSON.stringify(body.receiver)).not.toContain("t0ken");
    // S6: a dump of the database holds neither the secret nor the header's value.
    const dump = await db().pool.query<{ row: string }>(
      "SELECT row_to_json(r)::text AS row FROM alert_receiver r",
    );
    const text = dump.rows.map((entry) => entry.row).join("\n");
    expect(text).toContain("pager");
    expect(text).not.toContain(body.secret.slice("whsec_".length));
    expect(text).not.toContain("t0ken");
    const unknown = await putRoutingRoute(
      call(admin, "PUT", { route: { receiver: "nobody" } }),
      none,
    );
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      "route names receivers this project does not have: nobody",
    );
    const set = await putRoutingRoute(
      call(admin, "PUT", { route: { receiver: "pager", groupBy: ["service"], groupWait: "10s" } }),
      none,
    );
    expect(set.status).toBe(200);
    const routing = (await (await routingRoute(call(read, "GET"), none)).json()) as {
      route: { groupWait: string };
      custom: { route: boolean; inhibitRules: boolean };
    };
    expect([routing.route.groupWait, routing.custom]).toEqual([
      "10s",
      { route: true, inhibitRules: false },
    ]);
  });

  it("refuses a silence that would silence everything", async () => {
    const response = await postSilenceRoute(
      call(admin, "POST", {
        matchers: ["service=~.*"],
        endsAt: new Date(Date.now() + 60_000).toISOString(),
      }),
      none,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      "would silence every alert",
    );
  });
});
