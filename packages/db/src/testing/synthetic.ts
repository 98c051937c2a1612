// Synthetic telemetry for benchmarks, generated inside PostgreSQL (generate_series), so tens of
// millions of rows load in minutes without going through the client.
import { createHash } from "node:crypto";
import type pg from "pg";
import { ensureDailyPartitions, NS_PER_DAY } from "../telemetry/rollup/partitions.ts";
import { hashesOfKeys } from "../telemetry/write/search-keys.ts";

const SECOND = 1_000_000_000n;
const MINUTE = 60n * SECOND;
const HISTOGRAM_BOUNDS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

export type SyntheticFleet = {
  services: number;
  instancesPerService: number;
  /** Histogram series per instance: routes × 2 status codes (200, 500). */
  routes: number;
  /** Gauge series per instance besides the histograms. */
  gauges: number;
};

const days = (fromNs: bigint, toNs: bigint) => {
  const list: number[] = [];
  for (let day = fromNs / NS_PER_DAY; day <= (toNs - 1n) / NS_PER_DAY; day++)
    list.push(Number(day));
  return list;
};

/** Services `svc-0…`, their instances and metric series; returns the number of series. */
export async function seedFleet(
  pool: pg.Pool,
  projectId: string,
  fleet: SyntheticFleet,
): Promise<number> {
  await pool.query(
    `INSERT INTO service (project_id, name) SELECT $1, 'svc-' || g FROM generate_series(0, $2 - 1) g`,
    [projectId, fleet.services],
  );
  await pool.query(
    `INSERT INTO service_instance (project_id, service_id, instance, host)
     SELECT $1, s.id, s.name || '-' || i, 'host-' || i FROM service s, generate_series(0, $2 - 1) i
      WHERE s.project_id = $1`,
    [projectId, fleet.instancesPerService],
  );
  const histograms = await pool.query(
    `INSERT INTO metric_series (project_id, service_id, instance_id, name, type, unit, bounds, attributes, attributes_hash)
     SELECT $1, i.service_id, i.id, 'http.server.request.duration', 3, 's', $3::float8[], a.attributes, md5(a.attributes::text)
       FROM service_instance i, generate_series(0, $2 - 1) r, unnest(ARRAY[200, 500]) st,
            LATERAL (SELECT jsonb_build_object('http.route', '/api/r' || r, 'http.response.status_code', st,
                                               'http.request.method', 'GET') AS attributes) a
      WHERE i.project_id = $1`,
    [projectId, fleet.routes, HISTOGRAM_BOUNDS],
  );
  const gauges = await pool.query(
    `INSERT INTO metric_series (project_id, service_id, instance_id, name, type, unit, attributes, attributes_hash)
     SELECT $1, i.service_id, i.id, 'synthetic.gauge.' || g, 1, '1', '{}', md5('{}')
       FROM service_instance i, generate_series(0, $2 - 1) g WHERE i.project_id = $1`,
    [projectId, fleet.gauges],
  );
  return (histograms.rowCount ?? 0) + (gauges.rowCount ?? 0);
}

/**
 * One point every `intervalNs` for every series of the project over [fromNs, toNs), an hour per
 * statement; every minute written is marked pending a rollup, as the metric writer does.
 * Histogram points spread 100 observations over the standard HTTP duration buckets.
 */
export async function seedMetricPoints(
  pool: pg.Pool,
  projectId: string,
  window: { fromNs: bigint; toNs: bigint; intervalNs: bigint },
  onHour?: (done: number, total: number) => void,
): Promise<number> {
  await ensureDailyPartitions(pool, "metric_point", days(window.fromNs, window.toNs));
  const hour = 60n * MINUTE;
  const total = Number((window.toNs - window.fromNs + hour - 1n) / hour);
  let rows = 0;
  for (let start = window.fromNs, done = 1; start < window.toNs; start += hour, done++) {
    const end = start + hour < window.toNs ? start + hour : window.toNs;
    const result = await pool.query(
      `INSERT INTO metric_point (project_id, series_id, time_ns, start_ns, value, count, sum, min, max, counts)
       SELECT $1, ms.id, t, t - $4::bigint,
              CASE WHEN ms.type = 1 THEN (ms.id % 17) + (t / $4::bigint) % 10 END,
              CASE WHEN ms.type = 3 THEN 100 END,
              CASE WHEN ms.type = 3 THEN 12.5 + (t / $4::bigint) % 5 END,
              CASE WHEN ms.type = 3 THEN 0.002 END,
              CASE WHEN ms.type = 3 THEN 4.2 END,
              CASE WHEN ms.type = 3 THEN ARRAY[2, 8, 20, 25, 15, 10, 8, 5, 3, 2, 1, 1, 0, 0, (t / $4::bigint) % 2]::bigint[] END
         FROM metric_series ms, generate_series($2::bigint, $3::bigint - 1, $4::bigint) t
        WHERE ms.project_id = $1`,
      [projectId, start.toString(), end.toString(), window.intervalNs.toString()],
    );
    rows += result.rowCount ?? 0;
    onHour?.(done, total);
  }
  await pool.query(
    `INSERT INTO metric_rollup_pending (project_id, resolution, bucket_ns)
     SELECT $1, 60, m FROM generate_series($2::bigint - $2::bigint % $4::bigint, $3::bigint - 1, $4::bigint) m
     ON CONFLICT DO NOTHING`,
    [projectId, window.fromNs.toString(), window.toNs.toString(), MINUTE.toString()],
  );
  return rows;
}

/**
 * `traces` traces of `spansPerTrace` spans each, spread evenly over [fromNs, toNs): a server root
 * span in one service and children in the next ones, every 50th trace failing. The root carries
 * `app.user.id` (one of `users`), for attribute search, and the search hashes of the keys its
 * project searches, as the span writer would. Trace ids are md5(`trace-<n>`) as uuid.
 */
export async function seedSpans(
  pool: pg.Pool,
  projectId: string,
  options: { fromNs: bigint; toNs: bigint; traces: number; spansPerTrace: number; users: number },
  onChunk?: (done: number, total: number) => void,
): Promise<number> {
  await ensureDailyPartitions(pool, "span", days(options.fromNs, options.toNs));
  const gapNs = (options.toNs - options.fromNs) / BigInt(options.traces);
  // The first three keys the project searches by are hashed, as the span writer would.
  const keys = await pool.query<{ key: string }>(
    "SELECT key FROM span_search_key WHERE project_id = $1 ORDER BY key",
    [projectId],
  );
  const chunk = 200_000;
  let rows = 0;
  for (let first = 0; first < options.traces; first += chunk) {
    const last = Math.min(options.traces, first + chunk) - 1;
    const result = await pool.query(
      `WITH svc AS (SELECT array_agg(id ORDER BY id) AS ids FROM service WHERE project_id = $1),
            inst AS (SELECT service_id, min(id) AS id FROM service_instance WHERE project_id = $1 GROUP BY 1)
       INSERT INTO span (project_id, start_ns, trace_id, span_id, parent_span_id, service_id, instance_id, name,
                         kind, duration_ns, status_code, attributes, search_hashes)
       SELECT r.*, ${hashesOfKeys("r", ["($8::text[])[1]", "($8::text[])[2]", "($8::text[])[3]"])} FROM (
       SELECT $1::uuid AS project_id, $4::bigint + n * $5::bigint + j * 1000000, md5('trace-' || n)::uuid,
              decode(lpad(to_hex(n::bigint * 16 + j), 16, '0'), 'hex'),
              CASE WHEN j > 0 THEN decode(lpad(to_hex(n::bigint * 16), 16, '0'), 'hex') END,
              sv.id, inst.id,
              CASE WHEN j = 0 THEN 'GET /api/r' || (n % 8) ELSE 'call ' || j END,
              CASE WHEN j = 0 THEN 2 ELSE 3 END,
              (20 - j * 3) * 1000000 + (n % 1000) * 1000,
              CASE WHEN n % 50 = 0 AND j = $6 - 1 THEN 2 ELSE 0 END,
              CASE WHEN j = 0 THEN jsonb_build_object(
                     'http.request.method', 'GET', 'http.route', '/api/r' || (n % 8),
                     'http.response.status_code', CASE WHEN n % 50 = 0 THEN 500 ELSE 200 END,
                     'app.user.id', 'user-' || (n % $7), 'app.tenant', 'tenant-' || (n % 20),
                     'url.scheme', 'https', 'server.port', 8443, 'client.address', '10.0.0.' || (n % 250))
                   ELSE jsonb_build_object('db.system.name', 'postgresql', 'db.operation.name', 'SELECT',
                     'server.address', 'db-' || (n % 4), 'app.tenant', 'tenant-' || (n % 20)) END AS attributes
         FROM generate_series($2::int, $3::int) n, generate_series(0, $6 - 1) j, svc,
              LATERAL (SELECT svc.ids[1 + (n + j) % cardinality(svc.ids)] AS id) sv
         JOIN inst ON inst.service_id = sv.id) r`,
      [
        projectId,
        first,
        last,
        options.fromNs.toString(),
        gapNs.toString(),
        options.spansPerTrace,
        options.users,
        keys.rows.map((row) => row.key).slice(0, 3),
      ],
    );
    rows += result.rowCount ?? 0;
    onChunk?.(last + 1, options.traces);
  }
  return rows;
}

/** The hex trace id `seedSpans` gave trace n. */
export function syntheticTraceId(n: number): string {
  return createHash("md5").update(`trace-${n}`).digest("hex");
}
