import { context, propagation, SpanKind, trace } from "@opentelemetry/api";
import { probeShards } from "@vigil/agent";
import pg from "pg";
import { databaseUrl } from "../env.ts";
import { busFor } from "../platform/bus-for.ts";
import { HttpError } from "../platform/http.ts";
import { ShardRouter } from "../platform/shard-router.ts";
import { upstream } from "../platform/upstream.ts";
import { openConnections } from "../platform/warm-up.ts";
import { CALL_TIMEOUT_MS, ORDERS_STREAM, type ServiceFactory } from "./service.ts";

// Orders, sharded across two PostgreSQL databases by user id. Placing one reserves stock at the
// product service (found through discovery), writes the order to its shard and publishes
// OrderPlaced with the trace context, so the payment that follows joins the same trace.
// Orders older than 30 s move to the shard's archive table: `orders` holds the recent ones,
// whose balance the shard probe reports.

const SHARDS = ["orders-a", "orders-b"] as const;
const tracer = trace.getTracer("vigil-demo-orders");

export const orders: ServiceFactory = async (config, instance) => {
  const pools = Object.fromEntries(
    SHARDS.map((shard) => [
      shard,
      new pg.Pool({
        connectionString: databaseUrl(config.primaryUrl, shard.replace("-", "_")),
        max: 4,
      }),
    ]),
  ) as Record<(typeof SHARDS)[number], pg.Pool>;
  const router = new ShardRouter("orders-db", [...SHARDS]);
  const probe = probeShards({ store: "orders-db", tables: ["orders"], shards: pools });
  const catalogue = await upstream({
    endpoint: config.endpoint,
    token: config.key,
    service: "products",
    timeoutMs: CALL_TIMEOUT_MS,
  });
  const { bus, close } = await busFor(config, instance);
  await Promise.all(Object.values(pools).map((pool) => openConnections(pool, 4)));
  const archive = setInterval(() => {
    for (const pool of Object.values(pools))
      void pool
        .query(
          `WITH moved AS (DELETE FROM orders WHERE created_at < now() - interval '30 seconds' RETURNING *)
           INSERT INTO order_archive SELECT * FROM moved ON CONFLICT DO NOTHING`,
        )
        .catch(() => {});
  }, 5_000);

  // A producer span around the publish; the event carries its context to the consumer.
  const publish = (data: Record<string, unknown>) =>
    tracer.startActiveSpan(
      "orders publish",
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          "messaging.system": config.redisUrl ? "redis" : "postgresql",
          "messaging.destination.name": ORDERS_STREAM,
          "messaging.operation.type": "send",
        },
      },
      async (span) => {
        try {
          const carrier: Record<string, string> = {};
          propagation.inject(context.active(), carrier);
          await bus.publish(ORDERS_STREAM, "OrderPlaced", { ...data, carrier });
        } finally {
          span.end();
        }
      },
    );

  return {
    routes: [
      [
        "POST",
        "/orders",
        async ({ body }) => {
          const { userId, tenant, productId, quantity } = (body ?? {}) as Record<string, unknown>;
          if (
            !Number.isInteger(userId) ||
            typeof tenant !== "string" ||
            !Number.isInteger(productId)
          )
            throw new HttpError(400, "userId, tenant and productId are required");
          const reserved = await catalogue.call<{ price: number; quantity: number }>(
            `/products/${productId}/reserve`,
            { method: "POST", body: { quantity: quantity ?? 1 } },
          );
          const shard = router.route(String(userId), tenant) as (typeof SHARDS)[number];
          const amount = Math.round(reserved.price * reserved.quantity * 100) / 100;
          const { rows } = await pools[shard].query<{ id: string }>(
            `INSERT INTO orders (user_id, tenant, product_id, quantity, amount)
             VALUES ($1, $2, $3, $4, $5) RETURNING id::text`,
            [userId, tenant, productId, reserved.quantity, amount],
          );
          const id = `${shard}:${(rows[0] as { id: string }).id}`;
          await publish({ order: id, userId, tenant, amount });
          return { id, shard, amount };
        },
      ],
    ],
    async control(command) {
      if (command.type === "hot-tenant")
        router.setHotTenant(command.on ? { tenant: "acme", shard: "orders-a" } : null);
      return { ok: true };
    },
    async stop() {
      clearInterval(archive);
      probe.stop();
      catalogue.stop();
      await close();
      await Promise.all(Object.values(pools).map((pool) => pool.end()));
    },
  };
};
