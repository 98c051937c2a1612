import { HttpError } from "../platform/http.ts";
import { type Upstream, upstream } from "../platform/upstream.ts";
import { CALL_TIMEOUT_MS, type ServiceFactory } from "./service.ts";

// The API gateway: the shop's public routes, each load-balanced across the passing instances
// of the service behind it (found through Vigil's discovery API). An upstream that takes over a
// second is cut off with a 504, so a slow service shows as the gateway's errors too.

const BEHIND = ["users", "products", "orders"] as const;

export const gateway: ServiceFactory = async (config) => {
  const upstreams = Object.fromEntries(
    await Promise.all(
      BEHIND.map(async (service) => [
        service,
        await upstream({
          endpoint: config.endpoint,
          token: config.key,
          service,
          timeoutMs: CALL_TIMEOUT_MS,
        }),
      ]),
    ),
  ) as Record<(typeof BEHIND)[number], Upstream>;
  const { users, products, orders } = upstreams;

  return {
    routes: [
      ["GET", "/api/products", () => products.call("/products")],
      ["GET", "/api/products/:id", ({ params }) => products.call(`/products/${params[0]}`)],
      ["GET", "/api/users/:id", ({ params }) => users.call(`/users/${params[0]}`)],
      ["POST", "/api/signup", ({ body }) => users.call("/users", { method: "POST", body })],
      [
        "POST",
        "/api/orders",
        async ({ body }) => {
          const { userId, productId, quantity } = (body ?? {}) as Record<string, unknown>;
          if (!Number.isInteger(userId)) throw new HttpError(400, "userId is required");
          const user = await users.call<{ id: number; tenant: string }>(`/users/${userId}`);
          return orders.call("/orders", {
            method: "POST",
            body: { userId: user.id, tenant: user.tenant, productId, quantity },
          });
        },
      ],
    ],
    async control(command) {
      if (command.type === "strategy")
        for (const target of Object.values(upstreams)) target.setStrategy(command.value);
      return Object.fromEntries(BEHIND.map((service) => [service, upstreams[service].status()]));
    },
    async stop() {
      for (const target of Object.values(upstreams)) target.stop();
    },
  };
};
