import { probePostgresReplicas } from "@vigil/agent";
import pg from "pg";
import { databaseUrl } from "../env.ts";
import { HttpError } from "../platform/http.ts";
import { openConnections } from "../platform/warm-up.ts";
import type { ServiceFactory } from "./service.ts";

// The catalogue: writes (stock reservations, restocking) go to the PostgreSQL primary, reads to
// its streaming replica. The agent's replica probe reports the lag from both sides, so pausing
// the replica's replay shows on the Overview at once.

type Product = { id: number; name: string; price: number; stock: number };

export const products: ServiceFactory = async (config) => {
  const primary = new pg.Pool({
    connectionString: databaseUrl(config.primaryUrl, "products"),
    max: 5,
  });
  const replica = new pg.Pool({
    connectionString: databaseUrl(config.replicaUrl, "products"),
    max: 5,
  });
  await Promise.all([openConnections(primary, 5), openConnections(replica, 5)]);
  const probe = probePostgresReplicas({ primary, replicas: { "products-replica": replica } });
  // Restocking: a steady trickle of writes, so there is always WAL for the replica to replay.
  const restock = setInterval(() => {
    void primary
      .query(
        "UPDATE products SET stock = stock + 1, updated_at = now() WHERE id = 1 + floor(random() * 40)::int",
      )
      .catch(() => {});
  }, 250);

  return {
    routes: [
      [
        "GET",
        "/products",
        async () =>
          (
            await replica.query<Product>(
              "SELECT id, name, price::float8 AS price, stock FROM products ORDER BY id LIMIT 20",
            )
          ).rows,
      ],
      [
        "GET",
        "/products/:id",
        async ({ params }) => {
          const { rows } = await replica.query<Product>(
            "SELECT id, name, price::float8 AS price, stock FROM products WHERE id = $1",
            [Number(params[0])],
          );
          if (!rows[0]) throw new HttpError(404, `no product ${params[0]}`);
          return rows[0];
        },
      ],
      [
        "POST",
        "/products/:id/reserve",
        async ({ params, body }) => {
          const quantity = Number((body as { quantity?: unknown } | null)?.quantity ?? 1);
          if (!Number.isInteger(quantity) || quantity < 1)
            throw new HttpError(400, "quantity must be a whole number of at least 1");
          const { rows } = await primary.query<{ price: number }>(
            `UPDATE products SET stock = stock - $2, updated_at = now()
              WHERE id = $1 AND stock >= $2 RETURNING price::float8 AS price`,
            [Number(params[0]), quantity],
          );
          if (!rows[0]) throw new HttpError(409, `product ${params[0]} is out of stock`);
          return { price: rows[0].price, quantity };
        },
      ],
    ],
    async stop() {
      clearInterval(restock);
      probe.stop();
      await Promise.all([primary.end(), replica.end()]);
    },
  };
};
