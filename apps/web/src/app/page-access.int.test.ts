import { randomBytes } from "node:crypto";
import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard } from "../domain/dashboards/dashboards.ts";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { createMember, createOrgWithProject, FIXTURE_PASSWORD } from "../testing/fixtures.ts";
import { sendOtlpJson } from "../testing/otlp-send.ts";
import { getPage, signIn } from "../testing/session.ts";
import { startTestVigil, stopStartedVigils, type VigilProcess } from "../testing/vigil-process.ts";

// Every page of a project, asked for by people who may not see it: signed out, a member of
// another organisation, and a member who was removed. The project's telemetry carries a marker
// that no refused answer may contain; the project's own member sees it, so the check can fail.

const database = setupTestDatabase();
// Only seeded data holds the marker: the service and metric names are in page URLs, which a
// page may echo back to anyone.
const marker = `marker${randomBytes(6).toString("hex")}`;
const service = `shop-${randomBytes(4).toString("hex")}`;
const metric = `business.orders_${randomBytes(4).toString("hex")}`;
const password = FIXTURE_PASSWORD;
let vigil: VigilProcess & { base: string };
let base: string;
let projectId: string;
let traceId: string;
let dashboardId: string;
const cookies: Record<"member" | "editor" | "viewer" | "outsider" | "removed", string> = {
  member: "",
  editor: "",
  viewer: "",
  outsider: "",
  removed: "",
};

beforeAll(async () => {
  const home = await createOrgWithProject();
  const other = await createOrgWithProject();
  projectId = home.projectId;
  const member = await createMember(home.organizationId, "admin");
  const editor = await createMember(home.organizationId, "editor");
  const viewer = await createMember(home.organizationId, "viewer");
  const removed = await createMember(home.organizationId, "viewer");
  const outsider = await createMember(other.organizationId, "admin");
  const ingestKey = (await createApiKey({ projectId, name: "pages", scope: "ingest" })).secret;
  dashboardId = (await createDashboard(projectId, `board ${marker}`)).id;

  vigil = await startTestVigil(database.url(), process.env.PATH ?? "");
  base = vigil.base;

  traceId = randomBytes(16).toString("hex");
  const now = BigInt(Date.now()) * 1_000_000n;
  const resource = { attributes: [{ key: "service.name", value: { stringValue: service } }] };
  const attributes = [{ key: "note", value: { stringValue: marker } }];
  await sendOtlpJson(base, ingestKey, "traces", {
    resourceSpans: [
      {
        resource,
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: randomBytes(8).toString("hex"),
                name: `GET /${marker}`,
                kind: 2,
                startTimeUnixNano: String(now - 5_000_000n),
                endTimeUnixNano: String(now),
                attributes,
              },
            ],
          },
        ],
      },
    ],
  });
  await sendOtlpJson(base, ingestKey, "metrics", {
    resourceMetrics: [
      {
        resource,
        scopeMetrics: [
          {
            metrics: [
              {
                name: metric,
                gauge: { dataPoints: [{ timeUnixNano: String(now), asDouble: 7, attributes }] },
              },
            ],
          },
        ],
      },
    ],
  });
  await sendOtlpJson(base, ingestKey, "logs", {
    resourceLogs: [
      {
        resource,
        scopeLogs: [
          {
            logRecords: [
              { timeUnixNano: String(now), body: { stringValue: `log ${marker}` }, attributes },
            ],
          },
        ],
      },
    ],
  });

  cookies.member = await signIn(base, member.email, password);
  cookies.editor = await signIn(base, editor.email, password);
  cookies.viewer = await signIn(base, viewer.email, password);
  cookies.outsider = await signIn(base, outsider.email, password);
  cookies.removed = await signIn(base, removed.email, password);
  await db().prisma.membership.delete({
    where: {
      organizationId_userId: { organizationId: home.organizationId, userId: removed.id },
    },
  });
}, 120_000);
afterAll(stopStartedVigils);

const pages = () => {
  const p = `/projects/${projectId}`;
  return [
    p,
    `${p}/traces`,
    `${p}/traces/${traceId}`,
    `${p}/services/${encodeURIComponent(service)}`,
    `${p}/map`,
    `${p}/metrics`,
    `${p}/metrics?name=${metric}`,
    `${p}/registry`,
    `${p}/alerts`,
    `${p}/alerts/rules`,
    `${p}/alerts/rules/new`,
    `${p}/alerts/silences`,
    `${p}/alerts/receivers`,
    `${p}/dashboards`,
    `${p}/dashboards/${dashboardId}`,
    `${p}/settings`,
    `${p}/demo`,
  ];
};

const get = (path: string, cookie: string) => getPage(base, path, cookie);

describe("a project's pages", () => {
  it("show the project's data to its member (the marker is there to be found)", async () => {
    for (const path of [
      `/projects/${projectId}/traces/${traceId}`,
      `/projects/${projectId}/services/${service}`,
      `/projects/${projectId}/dashboards`,
    ]) {
      const { status, body } = await get(path, cookies.member);
      expect(status, path).toBe(200);
      expect(body, path).toContain(marker);
    }
  });

  it.each(["viewer", "editor", "member"] as const)(
    "open for a project %s, with edit controls only for the roles that may edit",
    async (as) => {
      for (const path of pages()) {
        const { status, body } = await get(path, cookies[as]);
        expect(status, path).toBe(200);
        // The Demo tab exists only for the project the demo fleet feeds (the page streams, so
        // its "not found" comes after the 200 status).
        if (path.endsWith("/demo")) expect(body).toContain("This page could not be found.");
      }
      const dashboards = await get(`/projects/${projectId}/dashboards`, cookies[as]);
      const rules = await get(`/projects/${projectId}/alerts/rules`, cookies[as]);
      const canEdit = as !== "viewer";
      expect(dashboards.body.includes('aria-label="new dashboard"'), "dashboards").toBe(canEdit);
      expect(rules.body.includes("/alerts/rules/new"), "rules").toBe(canEdit);
    },
  );

  it("send a signed-out browser to sign in, with none of the project's data", async () => {
    for (const path of pages()) {
      const { status, body } = await get(path, "");
      expect(status, path).toBe(307);
      expect(body, path).not.toContain(marker);
    }
  });

  it.each([
    ["a member of another organisation", "outsider"],
    ["a member who was removed", "removed"],
  ] as const)("answer %s with the 404 page and none of the project's data", async (_who, as) => {
    for (const path of pages()) {
      const { status, body } = await get(path, cookies[as]);
      expect(status, path).toBe(404);
      expect(body, path).not.toContain(marker);
    }
  });

  it("answer a malformed project id with the 404 page and log no stack trace", async () => {
    const logged = vigil.lines.length;
    for (const path of ["/projects/not-a-uuid", "/projects/not-a-uuid/traces/abc"]) {
      const { status, body } = await get(path, cookies.member);
      expect(status, path).toBe(404);
      expect(body).toContain("could not be found");
    }
    expect(vigil.lines.slice(logged).join("\n")).not.toMatch(/"stack"|\n\s+at /);
  });
});
