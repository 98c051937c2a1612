import { createTestDatabase, type TestDatabase } from "@vigil/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BusEvent, type EventBus, redisBus, tableBus } from "../src/platform/event-bus.ts";
import { redisForTest } from "./redis.ts";

// Both buses against real servers: events arrive in order, each consumer group gets every one,
// and an event whose handler failed is handled again when the consumer comes back.

let database: TestDatabase;
let pool: pg.Pool;
const redis = await redisForTest("event-bus.int.test");

beforeAll(async () => {
  database = await createTestDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});
afterAll(async () => {
  redis?.disconnect();
  await pool.end();
  await database.drop();
});

const buses: [string, () => Promise<EventBus>][] = [["table", () => tableBus(pool, 20)]];
if (redis) buses.push(["Redis Streams", async () => redisBus(redis as never, "payments-1")]);

/** Consumes until `count` events were handled (or the handler throws), then stops. */
async function take(bus: EventBus, stream: string, group: string, count: number, failOn?: string) {
  const seen: BusEvent[] = [];
  const controller = new AbortController();
  const done = bus
    .consume(
      stream,
      group,
      async (event) => {
        if (event.data.order === failOn) throw new Error("payment provider timed out");
        seen.push(event);
        if (seen.length >= count) controller.abort();
      },
      controller.signal,
    )
    .catch((error: Error) => {
      controller.abort();
      return error;
    });
  return { seen, result: await done };
}

describe.each(buses)("the %s event bus", (_name, makeBus) => {
  it("delivers in order to every group, and again after a failed handler", async () => {
    const bus = await makeBus();
    const stream = `orders-${Math.random().toString(36).slice(2)}`;
    for (const order of ["o1", "o2", "o3"]) await bus.publish(stream, "OrderPlaced", { order });

    const payments = await take(bus, stream, "payments", 3, "o2");
    expect((payments.result as Error).message).toBe("payment provider timed out");
    expect(payments.seen.map((event) => event.data.order)).toEqual(["o1"]);
    // Back up: o2 was never acknowledged, so it comes again, then o3.
    const again = await take(bus, stream, "payments", 2);
    expect(again.seen.map((event) => [event.type, event.data.order])).toEqual([
      ["OrderPlaced", "o2"],
      ["OrderPlaced", "o3"],
    ]);
    const audit = await take(bus, stream, "audit", 3);
    expect(audit.seen.map((event) => event.data.order)).toEqual(["o1", "o2", "o3"]);
  });
});

describe("the table bus with two consumers in one group", () => {
  it("lets one read at a time; the standby takes over, where it left off, when it stops", async () => {
    const bus = await tableBus(pool, 20);
    const stream = `orders-${Math.random().toString(36).slice(2)}`;
    for (const order of ["o1", "o2"]) await bus.publish(stream, "OrderPlaced", { order });
    const got: string[] = [];
    const first = new AbortController();
    const second = new AbortController();
    const standby = () =>
      bus.consume(
        stream,
        "payments",
        async (event) => {
          got.push(`second:${event.data.order}`);
          if (event.data.order === "o3") second.abort();
        },
        second.signal,
      );
    // The second consumer starts once the first holds the group (it is reading o1).
    let secondDone: Promise<void> = Promise.resolve();
    const firstDone = bus.consume(
      stream,
      "payments",
      async (event) => {
        got.push(`first:${event.data.order}`);
        if (event.data.order === "o1") secondDone = standby();
        if (event.data.order === "o2") first.abort();
      },
      first.signal,
    );
    await firstDone; // the first consumer took o1 and o2, then stopped
    await bus.publish(stream, "OrderPlaced", { order: "o3" });
    await secondDone;
    expect(got.sort()).toEqual(["first:o1", "first:o2", "second:o3"].sort());
  });
});
