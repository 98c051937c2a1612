import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { vigil } from "@vigil/agent";
import pg from "pg";
import { databaseUrl } from "../env.ts";
import { busFor } from "../platform/bus-for.ts";
import { delay, HttpError } from "../platform/http.ts";
import { openConnections } from "../platform/warm-up.ts";
import { ORDERS_STREAM, type ServiceFactory } from "./service.ts";

// Payments, asynchronous: OrderPlaced events from the bus are charged at a (pretend) provider
// and recorded in the `events` database. About one in thirty-three is declined — an outcome of
// the business (counted in business.orders by status), not a failure of the service: its span
// says `payment.status` and stays ok. Each charge is a consumer span in the order's own trace,
// whose context the event carries.

type OrderPlaced = {
  order: string;
  tenant: string;
  amount: number;
  carrier?: Record<string, string>;
};

const tracer = trace.getTracer("vigil-demo-payments");

export const payments: ServiceFactory = async (config, instance) => {
  const pool = new pg.Pool({ connectionString: databaseUrl(config.primaryUrl, "events"), max: 4 });
  await openConnections(pool, 4);
  const { bus, close } = await busFor(config, instance);
  const stopping = new AbortController();

  const charge = async (event: OrderPlaced) => {
    await delay(20 + Math.random() * 60); // the provider's round trip
    const declined = Math.random() < 0.03;
    const { rowCount } = await pool.query(
      `INSERT INTO payments (order_id, tenant, amount, status) VALUES ($1, $2, $3, $4)
       ON CONFLICT (order_id) DO NOTHING`,
      [event.order, event.tenant, event.amount, declined ? "declined" : "captured"],
    );
    if (rowCount === 0) return; // delivered again after a restart: charged already
    vigil.business.count("orders", 1, {
      tenant: event.tenant,
      status: declined ? "declined" : "paid",
    });
    trace.getActiveSpan()?.setAttribute("payment.status", declined ? "declined" : "captured");
    if (declined) return;
    vigil.business.add("revenue", event.amount, { tenant: event.tenant, currency: "EUR" });
  };

  const consuming = bus
    .consume(
      ORDERS_STREAM,
      "payments",
      async ({ data }) => {
        const event = data as OrderPlaced;
        const parent = propagation.extract(context.active(), event.carrier ?? {});
        await tracer.startActiveSpan(
          "orders process",
          {
            kind: SpanKind.CONSUMER,
            attributes: {
              "messaging.operation.type": "process",
              "messaging.destination.name": ORDERS_STREAM,
            },
          },
          parent,
          async (span) => {
            try {
              await charge(event);
            } catch (error) {
              span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            } finally {
              span.end();
            }
          },
        );
      },
      stopping.signal,
    )
    .catch((error: Error) => {
      if (!stopping.signal.aborted)
        process.stderr.write(`payments: the consumer stopped: ${error.message}\n`);
    });

  return {
    routes: [
      [
        "GET",
        "/payments/:order",
        async ({ params }) => {
          const { rows } = await pool.query(
            "SELECT order_id, amount::float8 AS amount, status FROM payments WHERE order_id = $1",
            [params[0]],
          );
          if (!rows[0]) throw new HttpError(404, `no payment for ${params[0]}`);
          return rows[0];
        },
      ],
    ],
    async stop() {
      stopping.abort();
      await consuming;
      await close();
      await pool.end();
    },
  };
};
