import pg from "pg";
import { migrate } from "../migrations/runner.ts";
import { SPAN_IDENTITY_WINDOW_NS } from "../telemetry/write/span-writer.ts";
import { shardCount } from "./catalog.ts";
import { defineChunkSpans, defineShardChunkSpans } from "./chunk-spans.ts";
import { SHARDED_TABLES, shardServer } from "./tables.ts";

/**
 * Spreads the telemetry of the (migrated) database at `coordinatorUrl` over the databases at
 * `shardUrls`, with PostgreSQL's own machinery: each shard is migrated like the coordinator and
 * becomes a postgres_fdw server of it; from then on every new daily partition of a sharded table
 * (see tables.ts) is, on the coordinator, a hash partition over foreign tables that live on the
 * shards. Partitions made before stay where they are. Idempotent: run at every start, it only
 * updates where the shards are. The number of shards is fixed once chosen.
 */
export async function attachShards(coordinatorUrl: string, shardUrls: string[]): Promise<void> {
  if (shardUrls.length === 0) return;
  const coordinator = new pg.Client({ connectionString: coordinatorUrl });
  await coordinator.connect();
  try {
    // Replicas starting side by side attach one at a time (released when the session ends).
    await coordinator.query("SELECT pg_advisory_lock(hashtext('vigil:attach-shards'))");
    const existing = await shardCount(coordinator);
    if (existing > 0 && existing !== shardUrls.length) {
      throw new Error(
        `This database spreads telemetry over ${existing} shards and VIGIL_SHARDS names ${shardUrls.length}: the number of shards cannot change once chosen (rows would have to move between them).`,
      );
    }
    await coordinator.query("CREATE EXTENSION IF NOT EXISTS postgres_fdw");
    await coordinator.query("CREATE EXTENSION IF NOT EXISTS dblink");
    for (const [index, url] of shardUrls.entries()) {
      await prepareShard(url, coordinatorUrl);
      // fetch_size: a lookup for the first row in order (LIMIT 1) is not pushed below the
      // partitions' Append, so each foreign partition ships one whole fetch; 10,000 made the
      // 24 h overview's per-series lookups take 2 s, 1,000 takes 0.27 s (bench:query data).
      await defineServer(coordinator, shardServer(index), url, {
        batch_size: "1000",
        fetch_size: "1000",
        async_capable: "true",
      });
    }
    const first = new pg.Client({ connectionString: shardUrls[0] });
    await first.connect();
    try {
      await defineChunkSpans(coordinator, first, shardUrls.length);
    } finally {
      await first.end();
    }
    // The coordinator holds no rows of its own for these tables: uniqueness is each shard's
    // (the distribution key is in every primary key), and PostgreSQL allows no unique index over
    // foreign partitions.
    for (const table of Object.keys(SHARDED_TABLES)) {
      await coordinator.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_pkey`);
    }
  } finally {
    await coordinator.end();
  }
}

/** Migrates a shard and gives it what its own work needs (see the comments inside). */
async function prepareShard(url: string, coordinatorUrl: string): Promise<void> {
  await migrate({ connectionString: url });
  const shard = new pg.Client({ connectionString: url });
  await shard.connect();
  try {
    // A span re-sent with another start is the same span (span-writer's identity): the
    // coordinator cannot look it up across shards in its insert, so the shard that holds the
    // trace refuses the copy as it arrives. Rows of the same statement processed earlier are
    // visible here, so a batch holding a span twice keeps the first. The coordinator's sessions
    // run with search_path = pg_catalog, hence the function's own. The lookup must take the
    // primary key, whatever the statistics say: planned while a day's partition held a few rows,
    // it became a sequential scan that the session kept while a batch filled the partition
    // (15,000 calls took 66 s to store). Hence no sequential scan, and the primary key's order
    // asked for, so that the service-time index (which would read all of the project's spans
    // for each row) loses to it too (measured: 600 spans/s instead of 32,000).
    await shard.query(`
      CREATE OR REPLACE FUNCTION vigil_span_identity() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT SET enable_seqscan = off AS $$
      BEGIN
        PERFORM 1 FROM span t
          WHERE t.project_id = NEW.project_id AND t.trace_id = NEW.trace_id
            AND t.span_id = NEW.span_id AND t.start_ns <> NEW.start_ns
            AND t.start_ns BETWEEN NEW.start_ns - ${SPAN_IDENTITY_WINDOW_NS}
                               AND NEW.start_ns + ${SPAN_IDENTITY_WINDOW_NS}
          ORDER BY t.project_id, t.trace_id, t.span_id, t.start_ns LIMIT 1;
        IF FOUND THEN
          RETURN NULL;
        END IF;
        RETURN NEW;
      END $$`);
    await shard.query(
      "CREATE OR REPLACE TRIGGER span_identity BEFORE INSERT ON span FOR EACH ROW EXECUTE FUNCTION vigil_span_identity()",
    );
    // Packing a shard's metric points needs each series' type and bucket layout, which live
    // with the series on the coordinator: read there, through a foreign table.
    await shard.query("CREATE EXTENSION IF NOT EXISTS postgres_fdw");
    await defineServer(shard, "vigil_coordinator", coordinatorUrl, { fetch_size: "10000" });
    // Minute rollups of a shard's points read the same (whether a series is cumulative or
    // monotonic); made again at each start, so its columns follow the code.
    await shard.query("DROP FOREIGN TABLE IF EXISTS coordinator_series");
    await shard.query(`
      CREATE FOREIGN TABLE coordinator_series (
        project_id uuid NOT NULL, id bigint NOT NULL, type smallint NOT NULL, bounds double precision[],
        cumulative boolean NOT NULL, monotonic boolean NOT NULL
      ) SERVER vigil_coordinator OPTIONS (table_name 'metric_series')`);
    await defineShardChunkSpans(shard);
  } finally {
    await shard.end();
  }
}

/** Creates or updates a postgres_fdw server for the database at `url`, and its user mapping. */
async function defineServer(
  client: pg.Client,
  name: string,
  url: string,
  extra: Record<string, string>,
): Promise<void> {
  const parsed = new URL(url);
  const where: Record<string, string> = {
    host: parsed.hostname,
    port: parsed.port || "5432",
    dbname: decodeURIComponent(parsed.pathname.slice(1)),
  };
  const login: Record<string, string> = {
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
  const found = await client.query("SELECT 1 FROM pg_foreign_server WHERE srvname = $1", [name]);
  if (found.rowCount === 0) {
    await ddl(
      client,
      `CREATE SERVER %I FOREIGN DATA WRAPPER postgres_fdw OPTIONS (${options({ ...where, ...extra })})`,
      name,
      { ...where, ...extra },
    );
    await ddl(
      client,
      `CREATE USER MAPPING FOR CURRENT_USER SERVER %I OPTIONS (${options(login)})`,
      name,
      login,
    );
  } else {
    const changed = { ...where, ...extra };
    await ddl(client, `ALTER SERVER %I OPTIONS (${options(changed, "SET ")})`, name, changed);
    await ddl(
      client,
      `ALTER USER MAPPING FOR CURRENT_USER SERVER %I OPTIONS (${options(login, "SET ")})`,
      name,
      login,
    );
  }
}

/** `key %L, …` for format(), in the order of `values`. */
function options(values: Record<string, string>, verb = ""): string {
  return Object.keys(values)
    .map((key) => `${verb}${key} %L`)
    .join(", ");
}

/** Runs a DDL statement whose names and values PostgreSQL quotes (format's %I and %L). */
async function ddl(
  client: pg.Client,
  template: string,
  name: string,
  values: Record<string, string>,
): Promise<void> {
  const args = [name, ...Object.values(values)];
  const placeholders = args.map((_, i) => `$${i + 2}::text`).join(", ");
  const built = await client.query<{ sql: string }>(`SELECT format($1, ${placeholders}) AS sql`, [
    template,
    ...args,
  ]);
  await client.query(built.rows[0]?.sql ?? "");
}
