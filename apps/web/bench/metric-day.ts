// The metric data bench:query and bench:promql measure: a fleet's day of points (10 services ×
// 3 instances × (16 histograms + 23 gauges), one point every 10 s: 10.1 M points) generated
// inside PostgreSQL, then rolled up by the same job the leader runs.
import { rollUpPending } from "@vigil/db/telemetry";
import { seedFleet, seedMetricPoints } from "@vigil/db/testing/synthetic";
import type pg from "pg";
import { fmt } from "./harness.ts";

const MS = 1_000_000n;
const SECOND = 1000n * MS;
export const MINUTE = 60n * SECOND;
export const HOUR = 60n * MINUTE;

export type MetricDay = { fromNs: bigint; toNs: bigint; points: number; series: number };

/** Seeds and rolls up 24 hours ending on the next whole minute; returns the window and counts. */
export async function seedMetricDay(
  pool: pg.Pool,
  projectId: string,
  fleet: { services: number; instances: number },
  log: (line: string) => void,
): Promise<MetricDay> {
  // Whole minutes, so the 24-hour window starts and ends on one.
  const toNs = ((BigInt(Date.now()) * MS) / MINUTE + 1n) * MINUTE;
  const fromNs = toNs - 24n * HOUR;
  const series = await seedFleet(pool, projectId, {
    services: fleet.services,
    instancesPerService: fleet.instances,
    routes: 8,
    gauges: 23,
  });
  let started = performance.now();
  const points = await seedMetricPoints(
    pool,
    projectId,
    { fromNs, toNs, intervalNs: 10n * SECOND },
    (done, total) => {
      if (done % 6 === 0) log(`seed: metric points, hour ${done}/${total}`);
    },
  );
  log(
    `seed: ${fmt(points)} metric points in ${fmt(series)} series, ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  // The rollup job, as the leader runs it, until nothing is pending.
  started = performance.now();
  let minutes = 0;
  for (;;) {
    const done = await rollUpPending(pool, { limit: 60 });
    minutes += done.minutes;
    if (done.minutes + done.hours === 0) break;
  }
  const rollupSeconds = (performance.now() - started) / 1000;
  const rollupRows = (
    await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM metric_rollup WHERE project_id = $1 AND resolution = 60",
      [projectId],
    )
  ).rows[0]?.n;
  log(
    `rollup: ${fmt(minutes)} minutes (${fmt(Number(rollupRows))} minute rows) in ${rollupSeconds.toFixed(0)} s = ${fmt(Math.round(points / rollupSeconds))} points/s`,
  );
  return { fromNs, toNs, points, series };
}
