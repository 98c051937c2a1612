import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../testing/index.ts";
import { newProject } from "../../testing/metric-fixtures.ts";
import { spanOf } from "../../testing/span-fixtures.ts";
import { CLOCK_SLACK_NS, noteSearchedKeys, SEARCH_KEYS } from "../write/search-keys.ts";
import { resolveService } from "../write/services.ts";
import { writeSpans } from "../write/span-writer.ts";
import { searchTraces } from "./trace-search.ts";

const database = setupTestDatabase();
const SECOND = 1_000_000_000n;

async function checkoutProject() {
  const pool = database.current().pool;
  const projectId = await newProject(database.current());
  const ref = await resolveService(pool, projectId, {
    name: "checkout",
    environment: "",
    instance: "checkout-1",
    version: "",
    host: "",
    attributes: { "service.name": "checkout" },
  });
  const write = (startNs: bigint, attributes: Record<string, unknown>) =>
    writeSpans(pool, [spanOf(projectId, ref, { startNs, name: "POST /pay", kind: 2, attributes })]);
  return { pool, projectId, write };
}

const hashesOf = async (projectId: string) =>
  (
    await database
      .current()
      .pool.query<{ user: string; hashes: string[] | null }>(
        "SELECT attributes->>'user.id' AS user, search_hashes AS hashes FROM span WHERE project_id = $1 ORDER BY start_ns",
        [projectId],
      )
  ).rows.map((row) => [row.user, row.hashes?.length ?? 0]);

describe("searching spans by attribute", () => {
  it("indexes only the keys a project searches, from the first search on, and finds spans from before it too", async () => {
    const { pool, projectId, write } = await checkoutProject();
    const t0 = BigInt(Date.now()) * 1_000_000n - 60n * SECOND;
    await write(t0, { "user.id": "u-1", amount: 1.5 });
    // As the domain does: the search's keys are noted on the primary, then the spans read.
    const search = async (fromNs: bigint, attributes: Record<string, string>) =>
      searchTraces(pool, projectId, {
        fromNs,
        toNs: t0 + 3600n * SECOND,
        attributes,
        limit: 10,
        keysIndexedSince: await noteSearchedKeys(pool, projectId, Object.keys(attributes)),
      });

    // The first search by user.id: the span written before it is found without the index.
    expect(await search(t0, { "user.id": "u-1" })).toHaveLength(1);
    const since = (await noteSearchedKeys(pool, projectId, ["user.id", "amount"])).get(
      "user.id",
    ) as bigint;
    expect(since).toBeGreaterThan(t0);

    // Spans written from then on carry the hashes of their user.id and amount, and of nothing
    // else (an object is not a value a search can name). They start past the clock slack, so
    // a window from there reads recent spans through the index alone.
    const later = since + CLOCK_SLACK_NS;
    await write(later + SECOND, { "user.id": "u-2", amount: 1.5, other: "x" });
    await write(later + 2n * SECOND, { "user.id": { nested: true }, amount: 2 });
    await write(later + 3n * SECOND, { "user.id": "u-3", amount: 1.5 });
    expect(await hashesOf(projectId)).toEqual([
      ["u-1", 0],
      ["u-2", 2],
      ['{"nested": true}', 1],
      ["u-3", 2],
    ]);
    expect((await search(later, { "user.id": "u-2" })).map((t) => t.spanCount)).toEqual([1]);
    expect(await search(later, { "user.id": "u-1" })).toEqual([]);
    // A number is found by any of its spellings.
    expect(await search(later, { amount: "1.50" })).toHaveLength(2);
    // A window that starts before the keys were indexed still finds the older span.
    expect(await search(t0, { "user.id": "u-1" })).toHaveLength(1);
    expect(await search(t0, { amount: "1.5" })).toHaveLength(3);
  });

  it(`keeps a project's ${SEARCH_KEYS} most recently searched keys`, async () => {
    const { pool, projectId } = await checkoutProject();
    for (let i = 0; i < SEARCH_KEYS + 8; i++) await noteSearchedKeys(pool, projectId, [`k${i}`]);
    const { rows } = await pool.query<{ key: string }>(
      "SELECT key FROM span_search_key WHERE project_id = $1",
      [projectId],
    );
    expect(rows.length).toBeLessThanOrEqual(SEARCH_KEYS + 1);
    expect(rows.map((row) => row.key)).toContain(`k${SEARCH_KEYS + 7}`);
    expect(rows.map((row) => row.key)).not.toContain("k0");
  });
});
