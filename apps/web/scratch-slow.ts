import pg from "pg";
import { closeDatabase, connectDatabase } from "@vigil/db";
import { projectOverview } from "./src/domain/overview/overview.ts";
import { windowFor } from "./src/domain/overview/time-range.ts";
import { ensureDefaultProject } from "./src/domain/tenancy/projects.ts";
import { getTrace } from "./src/domain/traces/get-trace.ts";
import { findTraces } from "./src/domain/telemetry/trace-search.ts";
import { syntheticTraceId } from "@vigil/db/testing/synthetic";
const orig = pg.Pool.prototype.query;
const slow: { ms: number; sql: string; params: unknown }[] = [];
// @ts-ignore
pg.Pool.prototype.query = async function (...a: any[]) {
  const t = performance.now();
  // @ts-ignore
  const r = await orig.apply(this, a);
  const ms = performance.now() - t;
  if (ms > Number(process.env.MIN ?? 15)) slow.push({ ms, sql: typeof a[0] === "string" ? a[0] : a[0].text, params: a[1] });
  return r;
};
connectDatabase(process.env.U!, { maxConnections: 8 });
const { projectId } = await ensureDefaultProject();
const what = process.argv[2];
for (let i = 0; i < 3; i++) {
  slow.length = 0;
  const t = performance.now();
  if (what === "ov24") await projectOverview(projectId, windowFor("24h"));
  if (what === "ov1") await projectOverview(projectId, windowFor("1h"));
  if (what === "trace") await getTrace(projectId, syntheticTraceId(i * 7919));
  if (what === "search") {
    const fromNs = BigInt(process.env.FROMNS!); const MS = 1_000_000n;
    await findTraces(projectId, { from: String(fromNs / MS), to: String((fromNs + 86400n * 1000n * MS) / MS), "attr.app.user.id": `user-${i * 104729 % 100000}`, limit: "20" });
  }
  console.log(`run ${i}: ${(performance.now() - t).toFixed(1)} ms`);
}
for (const s of slow.sort((a, b) => b.ms - a.ms).slice(0, 6)) console.log(s.ms.toFixed(1), JSON.stringify(s.params), "\n", s.sql.slice(0, 3000), "\n---");
await closeDatabase();
