import pg from "pg";
import { closeDatabase, connectDatabase, db } from "@vigil/db";
import { projectOverview } from "./src/domain/overview/overview.ts";
import { windowFor } from "./src/domain/overview/time-range.ts";
import { ensureDefaultProject } from "./src/domain/tenancy/projects.ts";
import { getTrace } from "./src/domain/traces/get-trace.ts";
import { findTraces } from "./src/domain/telemetry/trace-search.ts";
import { syntheticTraceId } from "@vigil/db/testing/synthetic";
const orig = pg.Pool.prototype.query;
const slow: { ms: number; sql: string; params: unknown[] }[] = [];
let capture = true;
// @ts-ignore
pg.Pool.prototype.query = async function (...a: any[]) {
  const t = performance.now();
  // @ts-ignore
  const r = await orig.apply(this, a);
  const ms = performance.now() - t;
  if (capture && ms > Number(process.env.MIN ?? 15)) slow.push({ ms, sql: typeof a[0] === "string" ? a[0] : a[0].text, params: a[1] });
  return r;
};
connectDatabase(process.env.U!, { maxConnections: 8 });
const { projectId } = await ensureDefaultProject();
const what = process.argv[2];
const first = await db().pool.query("select min(time_ns)::text m from metric_point");
const fromNs = BigInt(first.rows[0].m); const MS = 1_000_000n;
slow.length = 0;
if (what === "ov24") await projectOverview(projectId, windowFor("24h"));
if (what === "ov1") await projectOverview(projectId, windowFor("1h"));
if (what === "trace") await getTrace(projectId, syntheticTraceId(7919));
if (what === "search") await findTraces(projectId, { from: String(fromNs / MS), to: String((fromNs + 86400n * 1000n * MS) / MS), "attr.app.user.id": process.env.USERX ?? "user-4729", limit: "20" });
capture = false;
slow.sort((a, b) => b.ms - a.ms);
const n = Number(process.env.N ?? 1);
for (const s of slow.slice(0, n)) {
  console.log(`==== ${s.ms.toFixed(1)} ms`);
  const r = await db().pool.query(`EXPLAIN (ANALYZE, VERBOSE, COSTS OFF) ${s.sql}`, s.params);
  console.log(r.rows.map((x: any) => x["QUERY PLAN"]).join("\n"));
}
await closeDatabase();
