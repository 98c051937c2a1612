import { randomBytes } from "node:crypto";
import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { hostileBodies } from "@vigil/otel/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { createMember, createOrgWithProject, FIXTURE_PASSWORD } from "../testing/fixtures.ts";
import { postOtlpJson } from "../testing/otlp-send.ts";
import { getPage, signIn } from "../testing/session.ts";
import { startTestVigil, stopStartedVigils } from "../testing/vigil-process.ts";

// One tenant's bad data must not fail another tenant's requests: 40 good requests from one
// project race 10 hostile ones from another through the same write batches.

const database = setupTestDatabase();
let base: string;
const good = { projectId: "", ingest: "" };
const hostile = { projectId: "", ingest: "", read: "", cookie: "" };

beforeAll(async () => {
  good.projectId = (await createOrgWithProject()).projectId;
  const other = await createOrgWithProject();
  hostile.projectId = other.projectId;
  good.ingest = (
    await createApiKey({ projectId: good.projectId, name: "g", scope: "ingest" })
  ).secret;
  hostile.ingest = (
    await createApiKey({ projectId: hostile.projectId, name: "h", scope: "ingest" })
  ).secret;
  hostile.read = (
    await createApiKey({ projectId: hostile.projectId, name: "r", scope: "read" })
  ).secret;
  const member = await createMember(other.organizationId, "viewer");
  base = (await startTestVigil(database.url(), process.env.PATH ?? "")).base;
  hostile.cookie = await signIn(base, member.email, FIXTURE_PASSWORD);
}, 120_000);
afterAll(stopStartedVigils);

function goodSpan(traceId: string) {
  const end = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "checkout" } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: randomBytes(8).toString("hex"),
                name: "GET /cart",
                kind: 2,
                startTimeUnixNano: String(end - 2_000_000n),
                endTimeUnixNano: String(end),
              },
            ],
          },
        ],
      },
    ],
  };
}

// What each hostile body gets: refused whole (400), refused item by item (200 with a partial
// success that says why), or stored with the unstorable characters replaced.
const expected: Record<string, "400" | "partial" | "stored"> = {
  "a span name with NUL": "stored",
  "a lone surrogate in an attribute": "stored",
  "an end time of 2^64-1": "partial",
  "an end time of 2^63": "partial",
  "a metric start time of 2^64-1": "partial",
  "a 10,000-character metric name": "partial",
  "a 10,000-character service name": "partial",
  "an AnyValue 3,000 deep": "400",
};

describe("concurrent good and hostile requests from two tenants", () => {
  it("store every good request and answer each hostile one with what was wrong", {
    timeout: 60_000,
  }, async () => {
    const bodies = hostileBodies();
    expect(Object.keys(expected).sort()).toEqual(bodies.map((body) => body.what).sort());
    // Ten hostile requests: every kind, and the two that once poisoned a batch again.
    const hostileRequests = [...bodies, bodies[2], bodies[6]].flatMap((body) =>
      body ? [body] : [],
    );
    const traceIds = Array.from({ length: 40 }, () => randomBytes(16).toString("hex"));
    const [goodAnswers, hostileAnswers] = await Promise.all([
      Promise.all(
        traceIds.map((traceId) => postOtlpJson(base, good.ingest, "traces", goodSpan(traceId))),
      ),
      Promise.all(
        hostileRequests.map(async (request) => {
          const response = await postOtlpJson(base, hostile.ingest, request.signal, request.body);
          return { what: request.what, status: response.status, body: await response.json() };
        }),
      ),
    ]);

    expect(goodAnswers.map((response) => response.status)).toEqual(traceIds.map(() => 200));
    const stored = await db().pool.query<{ n: number }>(
      "SELECT count(DISTINCT trace_id)::int AS n FROM span WHERE project_id = $1",
      [good.projectId],
    );
    expect(stored.rows[0]?.n).toBe(40);

    for (const answer of hostileAnswers) {
      const outcome = expected[answer.what];
      if (outcome === "400") {
        expect(answer.status, answer.what).toBe(400);
        expect(answer.body.message, answer.what).toMatch(/more than 16 deep/);
      } else if (outcome === "partial") {
        expect(answer.status, answer.what).toBe(200);
        expect(answer.body.partialSuccess?.errorMessage, answer.what).toMatch(
          /2\^63|after its time|longer than 255 characters/,
        );
      } else {
        expect(answer.status, answer.what).toBe(200);
        expect(answer.body.partialSuccess, answer.what).toBeUndefined();
      }
    }
    const names = await db().pool.query<{ name: string }>(
      "SELECT name FROM span WHERE project_id = $1 ORDER BY name",
      [hostile.projectId],
    );
    expect(names.rows.map((row) => row.name)).toEqual(["a\uFFFDb", "hostile"]);
  });

  it("leave trace search, the Traces page and the service page working for the hostile tenant", async () => {
    const search = await fetch(`${base}/api/v1/traces?limit=50`, {
      headers: { authorization: `Bearer ${hostile.read}` },
    });
    expect(search.status).toBe(200);
    const found = (await search.json()) as { traces: unknown[] };
    expect(found.traces.length).toBe(2);
    for (const path of [
      `/projects/${hostile.projectId}/traces`,
      `/projects/${hostile.projectId}/services/svc`,
    ]) {
      const page = await getPage(base, path, hostile.cookie);
      expect(page.status, path).toBe(200);
      expect(page.body, path).toContain("a\uFFFDb");
    }
  });
});
