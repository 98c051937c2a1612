import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../testing/index.ts";
import { newProject } from "../../testing/metric-fixtures.ts";
import { spanOf } from "../../testing/span-fixtures.ts";
import { resolveService } from "../write/services.ts";
import type { SpanRow } from "../write/span-rows.ts";
import { writeSpans } from "../write/span-writer.ts";
import { redSteps, routeSteps } from "./red.ts";

const database = setupTestDatabase();
const START = 1_795_000_000_000_000_000n;
const MINUTE = 60_000_000_000n;

/** A project whose only service, a queue worker, sends traces and no request histogram. */
async function workerProject(): Promise<{ projectId: string; spans: SpanRow[] }> {
  const projectId = await newProject(database.current());
  const ref = await resolveService(database.current().pool, projectId, {
    name: "mailer",
    environment: "",
    instance: "mailer-1",
    version: "",
    host: "",
    attributes: { "service.name": "mailer" },
  });
  const span = (name: string, kind: number, statusCode: number, i: number) =>
    spanOf(projectId, ref, {
      startNs: START + BigInt(i) * 1_000_000n,
      name,
      kind,
      durationNs: 2_000_000n,
      statusCode,
      flags: 1,
    });
  return {
    projectId,
    spans: [
      // Three messages consumed (one failed), two health checks served, one outbound call.
      span("emails process", 5, 0, 0),
      span("emails process", 5, 2, 1),
      span("emails process", 5, 0, 2),
      span("GET /health", 2, 0, 3),
      span("GET /health", 2, 0, 4),
      span("POST smtp", 3, 2, 5),
    ],
  };
}

describe("RED from spans, for a service that sends no request histogram", () => {
  it("counts served and consumed spans as requests, the same per service as per route", async () => {
    const { projectId, spans } = await workerProject();
    await writeSpans(database.current().pool, spans);
    const window = { fromNs: START - MINUTE, toNs: START + MINUTE, stepNs: 2n * MINUTE };

    const services = await redSteps(database.current().pool, projectId, window);
    expect(
      services.map(({ service, requests, errors }) => ({ service, requests, errors })),
    ).toEqual([{ service: "mailer", requests: 5, errors: 1 }]);
    const routes = await routeSteps(database.current().pool, projectId, "mailer", window);
    expect(routes.map(({ route, requests, errors }) => ({ route, requests, errors }))).toEqual([
      { route: "GET /health", requests: 2, errors: 0 },
      { route: "emails process", requests: 3, errors: 1 },
    ]);
  });
});
