// The Prometheus HTTP API under /prometheus (a Grafana Prometheus data source pointed at
// http://vigil:3000/prometheus works): remote write, and query, query_range, series, labels,
// label/<name>/values, metadata and status/buildinfo with Prometheus's shapes, error types and
// status codes. Reads take a read key, writes an ingest key, as `Authorization: Bearer <key>`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { db } from "@vigil/db";
import { rollupState } from "@vigil/db/telemetry";
import type pg from "pg";
import type { Logger } from "pino";
import { authenticateApiKey } from "../domain/keys/api-keys.ts";
import { BodyError, readBody } from "../ingest/body.ts";
import { handleRemoteWrite } from "../ingest/remote-write.ts";
import { deadlineOf, readsUntil } from "./deadline.ts";
import { PromQLError } from "./promql/ast.ts";
import { labelsRecord } from "./promql/labels.ts";
import { formatValue, parseDuration } from "./promql/literals.ts";
import { parsePromQL } from "./promql/parse.ts";
import { instantQuery, MAX_POINTS_PER_SERIES, type QueryResult } from "./promql/query.ts";
import { storeQuerier } from "./querier.ts";
import { cachedRangeQuery } from "./results-cache.ts";
import { type PromSeries, selectSeries } from "./store.ts";

const PREFIX = "/prometheus/api/v1/";
const FORM_LIMIT = 1024 * 1024;

type Params = URLSearchParams;
type ErrorType =
  | "bad_data"
  | "execution"
  | "timeout"
  | "unavailable"
  | "internal"
  | "not_found"
  | "unauthorized";
const STATUS: Record<ErrorType, number> = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  unavailable: 503,
  internal: 500,
  not_found: 404,
  unauthorized: 401,
};

class ApiError extends Error {
  readonly type: ErrorType;
  constructor(type: ErrorType, message: string) {
    super(message);
    this.type = type;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** A time parameter: Unix seconds (fractions allowed) or RFC 3339, as milliseconds. */
export function parseTime(params: Params, name: string, fallback?: number): number {
  const text = params.get(name);
  if (text === null || text === "") {
    if (fallback !== undefined) return fallback;
    throw new ApiError("bad_data", `invalid parameter "${name}": missing`);
  }
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.round(seconds * 1000);
  const ms = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && Number.isFinite(ms)) return ms;
  throw new ApiError(
    "bad_data",
    `invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`,
  );
}

function parseStep(params: Params): number {
  const text = params.get("step");
  if (!text) throw new ApiError("bad_data", 'invalid parameter "step": missing');
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    throw new ApiError(
      "bad_data",
      `invalid parameter "step": cannot parse "${text}" to a valid duration`,
    );
  }
  if (ms <= 0)
    throw new ApiError(
      "bad_data",
      "zero or negative query resolution step widths are not accepted. Try a positive integer",
    );
  return ms;
}

/** The `timeout` parameter in milliseconds, if given. */
function parseTimeout(params: Params): number | undefined {
  const text = params.get("timeout");
  if (text === null || text === "") return undefined;
  const ms = (() => {
    try {
      return parseDuration(text);
    } catch {
      return Number.NaN;
    }
  })();
  if (!(ms > 0))
    throw new ApiError(
      "bad_data",
      `invalid parameter "timeout": cannot parse "${text}" to a positive duration`,
    );
  return ms;
}

const pair = (t: number, v: number) => [t, formatValue(v)];

function resultJson(result: QueryResult): unknown {
  switch (result.resultType) {
    case "scalar":
      return { resultType: "scalar", result: pair(result.result[0], result.result[1]) };
    case "string":
      return result;
    case "vector":
      return {
        resultType: "vector",
        result: result.result.map((s) => ({
          metric: s.metric,
          value: pair(s.value[0], s.value[1]),
        })),
      };
    case "matrix":
      return {
        resultType: "matrix",
        result: result.result.map((s) => ({
          metric: s.metric,
          values: s.values.map(([t, v]) => pair(t, v)),
        })),
      };
  }
}

async function paramsOf(req: IncomingMessage, url: URL): Promise<Params> {
  const params = new URLSearchParams(url.search);
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (req.method === "POST" && type === "application/x-www-form-urlencoded") {
    const body = await readBody(req, FORM_LIMIT);
    for (const [key, value] of new URLSearchParams(body.toString("utf8")))
      params.append(key, value);
  }
  return params;
}

function matchersOf(params: Params, required: boolean) {
  const selectors = params.getAll("match[]");
  if (required && selectors.length === 0)
    throw new ApiError("bad_data", "no match[] parameter provided");
  return selectors.map((text) => {
    const expr = parsePromQL(text);
    if (expr.type !== "vector")
      throw new ApiError(
        "bad_data",
        `invalid parameter "match[]": "${text}" is not a vector selector`,
      );
    return expr.matchers;
  });
}

async function seriesFor(
  pool: Reads,
  projectId: string,
  params: Params,
  required: boolean,
): Promise<PromSeries[]> {
  const sets = matchersOf(params, required);
  // Series of instances last heard from before `start` are gone from that range. (Points are not
  // looked for: an instance heard from since may have none in it; Prometheus's answer may be
  // smaller, never larger but for that.)
  const start = parseTime(params, "start", Number.NEGATIVE_INFINITY);
  const live = (s: PromSeries) => s.lastSeenMs >= start;
  if (sets.length === 0) return (await selectSeries(pool, projectId, [])).filter(live);
  const found = new Map<string, PromSeries>();
  for (const matchers of sets)
    for (const s of await selectSeries(pool, projectId, matchers))
      if (live(s)) found.set(JSON.stringify(s.labels), s);
  return [...found.values()];
}

const BUILD_INFO = {
  version: "2.42.0",
  revision: "vigil",
  branch: "vigil",
  buildUser: "vigil",
  buildDate: "20261203-00:00:00",
  goVersion: "n/a",
};

type Reads = Pick<pg.Pool, "query">;

async function answer(endpoint: string, projectId: string, params: Params): Promise<unknown> {
  // Every read of the request shares its time budget.
  const reads = readsUntil(db().reads(), deadlineOf(Date.now(), parseTimeout(params)));
  const querier = storeQuerier(reads, projectId);
  switch (endpoint) {
    case "query": {
      const query = params.get("query");
      if (!query) throw new ApiError("bad_data", 'invalid parameter "query": missing');
      return resultJson(await instantQuery(querier, query, parseTime(params, "time", Date.now())));
    }
    case "query_range": {
      const query = params.get("query");
      if (!query) throw new ApiError("bad_data", 'invalid parameter "query": missing');
      const start = parseTime(params, "start");
      const end = parseTime(params, "end");
      if (end < start)
        throw new ApiError("bad_data", "end timestamp must not be before start time");
      const step = parseStep(params);
      if ((end - start) / step > MAX_POINTS_PER_SERIES)
        throw new ApiError(
          "bad_data",
          `exceeded maximum resolution of ${MAX_POINTS_PER_SERIES.toLocaleString("en")} points per timeseries. Try decreasing the query resolution (?step=XX)`,
        );
      const state = await rollupState(reads, projectId);
      const scope = { projectId, state, nowMs: Date.now() };
      return resultJson(await cachedRangeQuery(querier, scope, query, start, end, step));
    }
    case "series":
      return (await seriesFor(reads, projectId, params, true)).map((s) => labelsRecord(s.labels));
    case "labels": {
      const names = new Set<string>();
      for (const s of await seriesFor(reads, projectId, params, false))
        for (const [name] of s.labels) names.add(name);
      return [...names].sort();
    }
    case "metadata": {
      const metric = params.get("metric");
      const limit = Number(params.get("limit") ?? "-1");
      const families: Record<string, { type: string; help: string; unit: string }[]> = {};
      for (const s of await selectSeries(
        reads,
        projectId,
        metric ? [{ name: "__name__", op: "=~", value: `${metric}(_bucket|_sum|_count)?` }] : [],
      )) {
        const { name, type, unit, help } = s.family;
        if (metric && name !== metric) continue;
        families[name] ??= [];
        const known = families[name];
        if (!known.some((k) => k.type === type && k.unit === unit))
          known.push({ type, help, unit });
      }
      const names = Object.keys(families).sort();
      return Object.fromEntries(
        (limit >= 0 ? names.slice(0, limit) : names).map((n) => [n, families[n]]),
      );
    }
    case "status/buildinfo":
      return BUILD_INFO;
    default: {
      const label = /^label\/([^/]+)\/values$/.exec(endpoint);
      if (label) {
        const name = decodeURIComponent(label[1] as string);
        const values = new Set<string>();
        for (const s of await seriesFor(reads, projectId, params, false))
          for (const [n, v] of s.labels) if (n === name) values.add(v);
        return [...values].sort();
      }
      throw new ApiError("not_found", `unknown endpoint ${PREFIX}${endpoint}`);
    }
  }
}

/** Answers /prometheus/api/v1/*; false when the path is not under /prometheus. */
export async function handlePrometheus(
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://vigil.invalid");
  if (!url.pathname.startsWith("/prometheus/")) return false;
  if (url.pathname === `${PREFIX}write`) {
    await handleRemoteWrite(req, res, log);
    return true;
  }
  const fail = (type: ErrorType, message: string) =>
    send(res, STATUS[type], { status: "error", errorType: type, error: message });
  if (!url.pathname.startsWith(PREFIX)) {
    fail("not_found", `unknown endpoint ${url.pathname}; the Prometheus API is under ${PREFIX}`);
    return true;
  }
  if (req.method !== "GET" && req.method !== "POST") {
    res.setHeader("allow", "GET, POST");
    fail("bad_data", `${req.method} is not allowed; use GET or POST`);
    return true;
  }
  const presented = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
  try {
    const key = await authenticateApiKey(presented, "read");
    if (!key.ok) {
      fail(
        "unauthorized",
        key.reason === "missing"
          ? "send a read key as Authorization: Bearer <key>"
          : `this key cannot read: ${key.reason}`,
      );
      return true;
    }
    const params = await paramsOf(req, url);
    const data = await answer(url.pathname.slice(PREFIX.length), key.principal.projectId, params);
    send(res, 200, { status: "success", data });
  } catch (error) {
    if (error instanceof ApiError) fail(error.type, error.message);
    else if (error instanceof PromQLError) fail(error.type, error.message);
    else if (error instanceof BodyError) fail("bad_data", error.message);
    else {
      log.warn({ err: error, url: url.pathname }, "Prometheus API query failed");
      fail("unavailable", "the store could not answer; retry later");
    }
  }
  return true;
}
