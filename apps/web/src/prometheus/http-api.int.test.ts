import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import snappy from "snappy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { encodeWriteRequest, remoteWrite } from "../testing/remote-write.ts";

// The Prometheus HTTP API's shapes, status codes and error types, its keys and its other
// endpoints, and remote write's answers to bad bodies — as Grafana and Prometheus expect them.

setupTestDatabase();

let vigil: Awaited<ReturnType<typeof startControlPlane>>;
let ingestKey: string;
let readKey: string;
let otherReadKey: string;
const now = Math.floor(Date.now() / 1000) * 1000;

beforeAll(async () => {
  vigil = await startControlPlane();
  const { projectId } = await createOrgWithProject();
  ingestKey = (await createApiKey({ projectId, name: "prometheus", scope: "ingest" })).secret;
  readKey = (await createApiKey({ projectId, name: "grafana", scope: "read" })).secret;
  const other = await createOrgWithProject();
  otherReadKey = (await createApiKey({ projectId: other.projectId, name: "other", scope: "read" }))
    .secret;
  const samples = (f: (i: number) => number): [number, number][] =>
    Array.from({ length: 10 }, (_, i) => [now - (9 - i) * 15_000, f(i)]);
  const written = await remoteWrite(`${vigil.url}/prometheus/api/v1/write`, ingestKey, [
    {
      labels: { __name__: "jobs_done_total", job: "worker", instance: "w1", queue: "mail" },
      samples: samples((i) => i * 10),
    },
    {
      labels: { __name__: "jobs_done_total", job: "worker", instance: "w1", queue: "sms" },
      samples: samples((i) => i),
    },
    {
      labels: { __name__: "jobs_waiting", job: "worker", instance: "w1" },
      samples: samples(() => 4),
    },
  ]);
  expect(written.status).toBe(204);
});
afterAll(() => vigil?.close());

async function api(
  path: string,
  params: Record<string, string | string[]> = {},
  key: string | null = readKey,
  method = "GET",
) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    for (const v of [value].flat()) search.append(name, v);
  const response =
    method === "GET"
      ? await fetch(`${vigil.url}/prometheus/api/v1/${path}?${search}`, {
          headers: key ? { authorization: `Bearer ${key}` } : {},
        })
      : await fetch(`${vigil.url}/prometheus/api/v1/${path}`, {
          method,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            ...(key ? { authorization: `Bearer ${key}` } : {}),
          },
          body: search.toString(),
        });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the Prometheus query API", () => {
  it("answers an instant query, by GET and by form POST alike", async () => {
    const params = { query: "sum(jobs_done_total)", time: String(now / 1000) };
    const get = await api("query", params);
    expect(get).toEqual({
      status: 200,
      body: {
        status: "success",
        data: { resultType: "vector", result: [{ metric: {}, value: [now / 1000, "99"] }] },
      },
    });
    expect(await api("query", params, readKey, "POST")).toEqual(get);
    expect((await api("query", { query: "1 + 1", time: String(now / 1000) })).body.data).toEqual({
      resultType: "scalar",
      result: [now / 1000, "2"],
    });
  });

  it("refuses what Prometheus refuses, with its error types and status codes", async () => {
    expect(await api("query", { query: "sum(" })).toMatchObject({
      status: 400,
      body: { status: "error", errorType: "bad_data" },
    });
    expect(await api("query", {})).toMatchObject({
      status: 400,
      body: { errorType: "bad_data", error: 'invalid parameter "query": missing' },
    });
    expect(await api("query", { query: "x", time: "yesterday" })).toMatchObject({
      status: 400,
      body: { error: 'invalid parameter "time": cannot parse "yesterday" to a valid timestamp' },
    });
    expect(
      await api("query_range", { query: "x", start: "10", end: "5", step: "1" }),
    ).toMatchObject({
      status: 400,
      body: { error: "end timestamp must not be before start time" },
    });
    expect(
      await api("query_range", { query: "x", start: "0", end: "10", step: "0" }),
    ).toMatchObject({ status: 400, body: { errorType: "bad_data" } });
    expect(
      await api("query_range", { query: "x", start: "0", end: "100000", step: "1" }),
    ).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining("exceeded maximum resolution of 11,000 points") },
    });
    expect(
      await api("query_range", { query: "x[5m]", start: "0", end: "10", step: "1" }),
    ).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining("invalid expression type") },
    });
    // Two series that differ only by name end up equal: Prometheus says so, with 422.
    expect(
      await api("query", {
        query: 'label_replace(jobs_done_total, "queue", "x", "", "")',
        time: String(now / 1000),
      }),
    ).toMatchObject({ status: 422, body: { errorType: "execution" } });
    expect(await api("nope")).toMatchObject({ status: 404, body: { errorType: "not_found" } });
  });

  it("gives up at the query's timeout with Prometheus's timeout error, freeing what it held", async () => {
    const time = String(now / 1000);
    expect(await api("query", { query: "jobs_waiting", time, timeout: "soon" })).toMatchObject({
      status: 400,
      body: { error: 'invalid parameter "timeout": cannot parse "soon" to a positive duration' },
    });
    // A statement the query needs waits behind a lock: without its own deadline the request
    // would wait as long as the lock is held.
    const locker = await db().pool.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE metric_series IN ACCESS EXCLUSIVE MODE");
      for (const endpoint of ["query", "query_range"])
        expect(
          await api(endpoint, {
            query: "rate(jobs_done_total[1m])",
            time,
            start: String(now / 1000 - 60),
            end: time,
            step: "15",
            timeout: "300ms",
          }),
        ).toMatchObject({
          status: 503,
          body: {
            status: "error",
            errorType: "timeout",
            error: "query timed out in query execution",
          },
        });
    } finally {
      await locker.query("ROLLBACK");
      locker.release();
    }
    expect((await api("query", { query: "jobs_waiting", time })).body.data).toMatchObject({
      result: [{ value: [now / 1000, "4"] }],
    });
  });

  it("needs a read key of the project, and reads only that project", async () => {
    expect(await api("query", { query: "jobs_waiting" }, null)).toMatchObject({
      status: 401,
      body: { status: "error", errorType: "unauthorized" },
    });
    expect(await api("query", { query: "jobs_waiting" }, ingestKey)).toMatchObject({ status: 401 });
    expect(
      (await api("query", { query: "jobs_waiting", time: String(now / 1000) }, otherReadKey)).body
        .data,
    ).toEqual({ resultType: "vector", result: [] });
  });

  it("lists series, label names, label values, metadata and build information", async () => {
    expect((await api("series", { "match[]": 'jobs_done_total{queue="sms"}' })).body.data).toEqual([
      { __name__: "jobs_done_total", job: "worker", instance: "w1", queue: "sms" },
    ]);
    expect(await api("series")).toMatchObject({
      status: 400,
      body: { error: "no match[] parameter provided" },
    });
    expect((await api("labels")).body.data).toEqual(["__name__", "instance", "job", "queue"]);
    expect((await api("label/queue/values")).body.data).toEqual(["mail", "sms"]);
    // A range after the instance was last heard from holds none of its series.
    const later = String(Date.now() / 1000 + 3600);
    expect((await api("label/queue/values", { start: later })).body.data).toEqual([]);
    expect((await api("series", { "match[]": "jobs_done_total", start: later })).body.data).toEqual(
      [],
    );
    expect((await api("labels", { start: String(Date.now() / 1000 - 3600) })).body.data).toEqual([
      "__name__",
      "instance",
      "job",
      "queue",
    ]);
    expect((await api("label/__name__/values")).body.data).toEqual([
      "jobs_done_total",
      "jobs_waiting",
    ]);
    expect((await api("metadata")).body.data).toEqual({
      jobs_done_total: [{ type: "counter", help: "", unit: "" }],
      jobs_waiting: [{ type: "gauge", help: "", unit: "" }],
    });
    expect((await api("status/buildinfo")).body.data).toMatchObject({ version: "2.42.0" });
  });
});

describe("remote write", () => {
  const post = (body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
    fetch(`${vigil.url}/prometheus/api/v1/write`, {
      method: "POST",
      headers: { "content-encoding": "snappy", authorization: `Bearer ${ingestKey}`, ...headers },
      body,
    });

  it("answers 400 (not retried) for a body that is not snappy or not a WriteRequest, 415 without snappy, 401 without a key", async () => {
    expect((await post(new Uint8Array([1, 2, 3, 4]))).status).toBe(400);
    const notProtobuf = await post(
      new Uint8Array(snappy.compressSync(Buffer.from([0x0a, 0xff, 0xff, 0xff]))),
    );
    expect(notProtobuf.status).toBe(400);
    expect(await notProtobuf.text()).toContain("not a remote-write WriteRequest");
    expect(
      (await post(new Uint8Array(encodeWriteRequest([])), { "content-encoding": "gzip" })).status,
    ).toBe(415);
    expect(
      (await post(new Uint8Array(encodeWriteRequest([])), { authorization: "Bearer nope" })).status,
    ).toBe(401);
    expect((await post(new Uint8Array(encodeWriteRequest([])))).status).toBe(204);
  });

  it("stores the valid series of a batch and refuses the others with 400, saying why", async () => {
    const response = await remoteWrite(`${vigil.url}/prometheus/api/v1/write`, ingestKey, [
      { labels: { __name__: "good_gauge", job: "x" }, samples: [[now, 1]] },
      { labels: { job: "x" }, samples: [[now, 1]] },
      { labels: { __name__: "bad name", job: "x" }, samples: [[now, 1]] },
      { labels: { __name__: "bad_label", "2x": "y" }, samples: [[now, 1]] },
    ]);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("3 samples refused (1 stored)");
    expect(text).toContain("a series has no __name__ label");
    expect(text).toContain('"bad name" is not a valid metric name');
    const stored = await api("query", { query: "good_gauge", time: String(now / 1000) });
    expect(stored.body.data).toEqual({
      resultType: "vector",
      result: [{ metric: { __name__: "good_gauge", job: "x" }, value: [now / 1000, "1"] }],
    });
  });

  it("stores a sample sent twice once, and a staleness marker ends the series", async () => {
    const series = {
      labels: { __name__: "dup_gauge", job: "x" },
      samples: [[now - 30_000, 5]] as [number, number | "stale"][],
    };
    for (let i = 0; i < 2; i++)
      expect(
        (await remoteWrite(`${vigil.url}/prometheus/api/v1/write`, ingestKey, [series])).status,
      ).toBe(204);
    const count = await api("query", {
      query: "count_over_time(dup_gauge[1m])",
      time: String(now / 1000),
    });
    expect(count.body.data).toMatchObject({ result: [{ value: [now / 1000, "1"] }] });
    await remoteWrite(`${vigil.url}/prometheus/api/v1/write`, ingestKey, [
      { labels: series.labels, samples: [[now - 15_000, "stale"]] },
    ]);
    expect(
      (await api("query", { query: "dup_gauge", time: String(now / 1000) })).body.data,
    ).toEqual({ resultType: "vector", result: [] });
  });
});
