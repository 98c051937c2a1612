import pg from "pg";
import { databaseUrl } from "../env.ts";
import { TABLE_BUS_SCHEMA } from "../platform/event-bus.ts";

// The fleet's databases on its own PostgreSQL primary (the replica follows): users, the
// catalogue, two order shards and the events/payments database. Created when missing, seeded
// once, so a restarted fleet carries on with what it had.

const SCHEMAS: Record<string, string[]> = {
  users: [
    `CREATE TABLE IF NOT EXISTS users (id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL,
       tenant text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    `INSERT INTO users (name, email, tenant)
       SELECT 'user ' || n, 'user' || n || '@example.com',
              CASE WHEN n % 2 = 0 THEN 'acme' ELSE (ARRAY['globex','initech','umbrella'])[1 + n % 3] END
         FROM generate_series(1, 500) n
        WHERE NOT EXISTS (SELECT 1 FROM users)`,
  ],
  products: [
    `CREATE TABLE IF NOT EXISTS products (id int PRIMARY KEY, name text NOT NULL,
       price numeric(10,2) NOT NULL, stock int NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    `INSERT INTO products (id, name, price, stock)
       SELECT n, 'product ' || n, round((5 + (n * 7.3) % 95)::numeric, 2), 1000000
         FROM generate_series(1, 40) n ON CONFLICT DO NOTHING`,
  ],
  orders_a: orderTables(),
  orders_b: orderTables(),
  // The table bus's tables too, so the four instances that open the bus at once do not race
  // to create them.
  events: [
    ...TABLE_BUS_SCHEMA,
    `CREATE TABLE IF NOT EXISTS payments (order_id text PRIMARY KEY, tenant text NOT NULL,
       amount numeric(12,2) NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  ],
};

function orderTables(): string[] {
  const columns = `id bigserial PRIMARY KEY, user_id int NOT NULL, tenant text NOT NULL,
    product_id int NOT NULL, quantity int NOT NULL, amount numeric(12,2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()`;
  return [
    `CREATE TABLE IF NOT EXISTS orders (${columns})`,
    `CREATE TABLE IF NOT EXISTS order_archive (${columns})`,
  ];
}

export async function prepareDatabases(primaryUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl(primaryUrl, "postgres") });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database");
    const existing = new Set(rows.map((row) => row.datname));
    for (const name of Object.keys(SCHEMAS))
      if (!existing.has(name)) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  for (const [name, statements] of Object.entries(SCHEMAS)) {
    const client = new pg.Client({ connectionString: databaseUrl(primaryUrl, name) });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  }
}
