import { vigil } from "@vigil/agent";
import { Redis } from "ioredis";
import pg from "pg";
import { databaseUrl } from "../env.ts";
import { cacheAside, memoryStore, redisStore } from "../platform/cache-aside.ts";
import { HttpError } from "../platform/http.ts";
import { openConnections } from "../platform/warm-up.ts";
import { type ServiceFactory, tenantOf } from "./service.ts";

// Sign-ups and profiles. Profiles are read cache-aside (Redis with a TTL, or an in-process LRU),
// so the "users" cache hit rate Vigil shows is the real one; a flush empties it.

type Profile = { id: number; name: string; email: string; tenant: string };

export const users: ServiceFactory = async (config) => {
  const pool = new pg.Pool({ connectionString: databaseUrl(config.primaryUrl, "users"), max: 5 });
  await openConnections(pool, 5);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false }) : null;
  const profiles = cacheAside<Profile>({
    name: "users",
    store: redis ? redisStore(redis, "demo:users:") : memoryStore(5_000),
    ttlMs: 600_000, // profiles change rarely: a long TTL keeps the hit rate high
    load: async (id) => {
      const { rows } = await pool.query<Profile>(
        "SELECT id, name, email, tenant FROM users WHERE id = $1",
        [Number(id)],
      );
      return rows[0] ?? null;
    },
  });

  // Cache warming, as a deploy would do it: the regulars' profiles are loaded before the first
  // request, so a new instance does not start cold (a flush is what makes it cold).
  const { rows: regulars } = await pool.query<Profile>(
    "SELECT id, name, email, tenant FROM users ORDER BY id LIMIT 500",
  );
  await Promise.all(regulars.map((profile) => profiles.prime(String(profile.id), profile)));

  return {
    routes: [
      [
        "GET",
        "/users/:id",
        async ({ params }) => {
          const profile = await profiles.get(params[0] as string);
          if (!profile) throw new HttpError(404, `no user ${params[0]}`);
          return profile;
        },
      ],
      [
        "POST",
        "/users",
        async ({ body }) => {
          const { name } = (body ?? {}) as { name?: unknown };
          if (typeof name !== "string" || name.length === 0)
            throw new HttpError(400, "name is required");
          const { rows } = await pool.query<{ id: number }>(
            "INSERT INTO users (name, email, tenant) VALUES ($1, $2, '') RETURNING id",
            [name, `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`],
          );
          const id = (rows[0] as { id: number }).id;
          const tenant = tenantOf(id);
          await pool.query("UPDATE users SET tenant = $2 WHERE id = $1", [id, tenant]);
          vigil.business.count("signups", 1, { tenant });
          return { id, tenant };
        },
      ],
    ],
    async control(command) {
      if (command.type === "flush-cache") await profiles.flush();
      return { ok: true };
    },
    async stop() {
      redis?.disconnect();
      await pool.end();
    },
  };
};
