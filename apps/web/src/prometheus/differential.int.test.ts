import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { type PrometheusServer, startPrometheus } from "../testing/prometheus.ts";
import { remoteWrite } from "../testing/remote-write.ts";
import { generateSeries, timeSlices } from "./differential-data.ts";

// Debian's Prometheus 2.42 beside Vigil: the same generated data remote-written to both, then the
// same PromQL asked of both over query_range and query. Values must agree to a relative 1e-9.

setupTestDatabase();

const END = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
const START = END - 2 * 3_600_000;
const at = (minutesBeforeEnd: number) => ((END - minutesBeforeEnd * 60_000) / 1000).toFixed(3);

/** Every construct of the list, at least once. */
const EXPRESSIONS = [
  "http_requests_total",
  'http_requests_total{method="GET"}',
  'http_requests_total{method=~"G.*"}',
  'http_requests_total{method!="GET",job!~"w.*"}',
  '{__name__=~"temperature_.*", room="x"}',
  "rate(http_requests_total[5m])",
  "rate(http_requests_total[1m])",
  "irate(http_requests_total[5m])",
  "increase(http_requests_total[10m])",
  "delta(temperature_celsius[10m])",
  "idelta(temperature_celsius[5m])",
  "deriv(temperature_celsius[10m])",
  "predict_linear(temperature_celsius[10m], 600)",
  "resets(http_requests_total[30m])",
  "changes(temperature_celsius[10m])",
  "avg_over_time(temperature_celsius[10m])",
  "sum_over_time(temperature_celsius[10m])",
  "min_over_time(temperature_celsius[10m])",
  "max_over_time(temperature_celsius[10m])",
  "count_over_time(temperature_celsius[10m])",
  "last_over_time(temperature_celsius[10m])",
  "stddev_over_time(temperature_celsius[10m])",
  "stdvar_over_time(temperature_celsius[10m])",
  "quantile_over_time(0.9, temperature_celsius[10m])",
  "present_over_time(queue_depth[10m])",
  "absent_over_time(queue_depth[5m])",
  "queue_depth",
  "up",
  "sum(rate(http_requests_total[5m]))",
  "sum by (job) (rate(http_requests_total[5m]))",
  "sum without (instance) (rate(http_requests_total[5m]))",
  "avg by (method) (http_requests_total)",
  "min by (job) (temperature_celsius)",
  "max without (room) (temperature_celsius)",
  "count(temperature_celsius)",
  "count by (job) (http_requests_total)",
  "stddev(temperature_celsius)",
  "stdvar by (job) (temperature_celsius)",
  "group by (job) (http_requests_total)",
  "topk(2, temperature_celsius)",
  "bottomk(1, rate(http_requests_total[5m]))",
  "quantile(0.5, temperature_celsius)",
  "quantile by (job) (0.9, rate(http_requests_total[5m]))",
  'count_values("value", round(temperature_celsius))',
  "histogram_quantile(0.95, rate(request_duration_seconds_bucket[5m]))",
  "histogram_quantile(0.5, sum by (le, job) (rate(request_duration_seconds_bucket[5m])))",
  "histogram_quantile(0.99, sum by (le) (increase(request_duration_seconds_bucket[10m])))",
  "rate(request_duration_seconds_sum[5m]) / rate(request_duration_seconds_count[5m])",
  'sum by (job) (rate(http_requests_total{method="POST"}[5m])) / sum by (job) (rate(http_requests_total[5m]))',
  'http_requests_total / on(job, instance) group_left temperature_celsius{room="x"}',
  'temperature_celsius{room="y"} - on(job, instance) group_right(room) http_requests_total',
  "http_requests_total - ignoring(method) group_left sum without (method) (http_requests_total)",
  "temperature_celsius > 20",
  "temperature_celsius > bool 20",
  "20 < temperature_celsius",
  "temperature_celsius == on(job, instance, room) temperature_celsius",
  'http_requests_total and http_requests_total{method="GET"}',
  'http_requests_total unless on(job) http_requests_total{job="api"}',
  'temperature_celsius{room="x"} or temperature_celsius{room="y"}',
  "queue_depth or on() vector(0)",
  "rate(http_requests_total[5m]) * 60",
  "2 ^ 3 + 4 * time() % 7",
  "-temperature_celsius",
  "abs(temperature_celsius - 20)",
  "ceil(temperature_celsius) + floor(temperature_celsius)",
  "round(temperature_celsius, 0.5)",
  "sqrt(temperature_celsius) + exp(temperature_celsius / 10)",
  "ln(temperature_celsius) + log2(temperature_celsius) + log10(temperature_celsius)",
  "clamp(temperature_celsius, 18, 22)",
  "clamp_min(temperature_celsius, 20) - clamp_max(temperature_celsius, 20)",
  "sgn(temperature_celsius - 20)",
  "temperature_celsius % 3",
  "temperature_celsius atan2 20",
  'label_replace(temperature_celsius, "host", "$1", "instance", "(.*):.*")',
  'label_join(temperature_celsius, "id", "-", "job", "room")',
  'absent(nonexistent_metric{job="x"})',
  "absent(temperature_celsius)",
  "scalar(sum(temperature_celsius))",
  "vector(1)",
  "time()",
  "timestamp(temperature_celsius)",
  "minute(timestamp(temperature_celsius)) + on() group_left() (hour() + day_of_week() + month() + year() + days_in_month() + day_of_month() + day_of_year())",
  "hour(timestamp(up)) * 60 + minute(timestamp(up))",
  "temperature_celsius offset 10m",
  "rate(http_requests_total[5m] offset 5m)",
  `temperature_celsius @ ${at(30)}`,
  `sum(rate(http_requests_total[5m] @ ${at(10)}))`,
  "max_over_time(rate(http_requests_total[5m])[30m:1m])",
  "avg_over_time(temperature_celsius[30m:])",
  "sort(temperature_celsius)",
  "sort_desc(sum by (job) (http_requests_total))",
];

type Sample = [number, string];
type Series = { metric: Record<string, string>; values?: Sample[]; value?: Sample };
type Answer = {
  status: string;
  data?: { resultType: string; result: unknown };
  error?: string;
  errorType?: string;
};

async function ask(
  base: string,
  path: string,
  params: Record<string, string>,
  key?: string,
): Promise<Answer> {
  const response = await fetch(`${base}${path}?${new URLSearchParams(params)}`, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  return (await response.json()) as Answer;
}

function close(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return false;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) || Math.abs(x - y) < 1e-12;
}

/** Why two answers differ, or null when they agree (series matched by labels, in any order). */
function difference(expected: Answer, actual: Answer): string | null {
  if (expected.status !== actual.status)
    return `status ${actual.status} (${actual.error ?? ""}), expected ${expected.status} (${expected.error ?? ""})`;
  if (expected.status !== "success") return null;
  const e = expected.data as { resultType: string; result: unknown };
  const a = actual.data as { resultType: string; result: unknown };
  if (e.resultType !== a.resultType) return `result type ${a.resultType}, expected ${e.resultType}`;
  if (e.resultType === "scalar" || e.resultType === "string") {
    const [et, ev] = e.result as Sample;
    const [at, av] = a.result as Sample;
    return et === at && close(ev, av)
      ? null
      : `${JSON.stringify(a.result)}, expected ${JSON.stringify(e.result)}`;
  }
  const key = (s: Series) => JSON.stringify(Object.entries(s.metric).sort());
  const mine = new Map((a.result as Series[]).map((s) => [key(s), s]));
  const theirs = e.result as Series[];
  if (theirs.length !== mine.size)
    return `${mine.size} series, expected ${theirs.length}: ${[...mine.keys()].slice(0, 3).join(" ")} vs ${theirs.slice(0, 3).map(key).join(" ")}`;
  for (const s of theirs) {
    const m = mine.get(key(s));
    if (!m) return `missing series ${key(s)}`;
    const ev = s.values ?? [s.value as Sample];
    const av = m.values ?? [m.value as Sample];
    if (ev.length !== av.length) return `${key(s)}: ${av.length} points, expected ${ev.length}`;
    for (let i = 0; i < ev.length; i++) {
      const [et, evv] = ev[i] as Sample;
      const [at, avv] = av[i] as Sample;
      if (et !== at || !close(evv, avv)) return `${key(s)} at ${et}: ${at}=${avv}, expected ${evv}`;
    }
  }
  return null;
}

let prometheus: PrometheusServer;
let vigil: Awaited<ReturnType<typeof startControlPlane>>;
let readKey: string;

beforeAll(async () => {
  [prometheus, vigil] = await Promise.all([startPrometheus(), startControlPlane()]);
  const { projectId } = await createOrgWithProject();
  const ingestKey = (await createApiKey({ projectId, name: "prometheus", scope: "ingest" })).secret;
  readKey = (await createApiKey({ projectId, name: "grafana", scope: "read" })).secret;
  for (const slice of timeSlices(generateSeries(START, END), START, END, 10 * 60_000)) {
    const [toPrometheus, toVigil] = await Promise.all([
      remoteWrite(`${prometheus.url}/api/v1/write`, null, slice),
      remoteWrite(`${vigil.url}/prometheus/api/v1/write`, ingestKey, slice),
    ]);
    expect([toPrometheus.status, await toPrometheus.text()]).toEqual([204, ""]);
    expect([toVigil.status, await toVigil.text()]).toEqual([204, ""]);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([prometheus?.stop(), vigil?.close()]);
});

describe("PromQL against Prometheus 2.42 on the same remote-written data", () => {
  it(`answers ${EXPRESSIONS.length} expressions as Prometheus does, over query_range and query`, async () => {
    const disagreements: string[] = [];
    let agreed = 0;
    const asks: { kind: string; path: string; params: Record<string, string> }[] = [];
    for (const query of EXPRESSIONS) {
      asks.push({
        kind: "range 60s",
        path: "query_range",
        params: {
          query,
          start: String((START + 30 * 60_000) / 1000),
          end: String(END / 1000),
          step: "60",
        },
      });
      asks.push({
        kind: "range 37s",
        path: "query_range",
        params: {
          query,
          start: String((START + 7_000) / 1000),
          end: String((END - 90_000) / 1000),
          step: "37",
        },
      });
      for (const minutes of [0, 45, 100])
        asks.push({
          kind: `instant -${minutes}m`,
          path: "query",
          params: { query, time: at(minutes) },
        });
    }
    for (const a of asks) {
      const [expected, actual] = await Promise.all([
        ask(prometheus.url, `/api/v1/${a.path}`, a.params),
        ask(vigil.url, `/prometheus/api/v1/${a.path}`, a.params, readKey),
      ]);
      const why = difference(expected, actual);
      if (why) disagreements.push(`${a.params.query} [${a.kind}]: ${why}`);
      else agreed++;
    }
    process.stdout.write(
      `PromQL differential: ${agreed}/${asks.length} answers agree with Prometheus 2.42 (${EXPRESSIONS.length} expressions)\n${disagreements.join("\n")}\n`,
    );
    expect(disagreements).toEqual([]);
  }, 300_000);
});
