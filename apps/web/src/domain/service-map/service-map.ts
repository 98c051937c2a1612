import { db } from "@vigil/db";
import { dependencyEdges, servicesOf } from "@vigil/db/telemetry";
import { coverageOf } from "../overview/coverage.ts";
import { type Grade, gradeAbove, thresholdsOf } from "../overview/grades.ts";
import { nsWindow, type TimeWindow } from "../overview/time-range.ts";
import { layout } from "./layout.ts";

/** Services and their dependencies in a window, laid out, each edge with its rate and errors. */
export async function serviceMap(projectId: string, window: TimeWindow) {
  const [services, edges, thresholds, coverage] = await Promise.all([
    servicesOf(db().reads(), projectId),
    dependencyEdges(db().reads(), projectId, nsWindow(window)),
    thresholdsOf(projectId),
    coverageOf(projectId, window),
  ]);
  const nodes = new Map<string, "service" | "database">();
  for (const service of services) nodes.set(service.name, "service");
  for (const edge of edges) if (edge.kind === "database") nodes.set(edge.callee, "database");
  const placed = layout(
    [...nodes].map(([id, kind]) => ({ id, kind })),
    edges,
  );
  return {
    ...placed,
    coverage: { partial: coverage.partial, shortestSeconds: coverage.shortestSeconds },
    edges: edges.map((edge) => {
      const errorRate = edge.calls > 0 ? edge.errors / edge.calls : 0;
      return {
        ...edge,
        // Calls a second over the time the calling service has data in the window.
        rate: edge.calls / coverage.seconds(edge.caller),
        errorRate,
        grade: gradeAbove(errorRate, thresholds.errorRate) as Grade,
      };
    }),
  };
}

export type ServiceMap = Awaited<ReturnType<typeof serviceMap>>;
