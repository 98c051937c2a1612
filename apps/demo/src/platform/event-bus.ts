// The shop's event bus: orders publish `OrderPlaced`, payments consume it asynchronously.
// Redis Streams when Redis is there (consumer groups, XACK), a PostgreSQL table otherwise (an
// offset per consumer group). Both deliver at least once: an event is acknowledged only after
// its handler returns, so one that was being handled when a consumer died is handled again.

export type BusEvent = { id: string; type: string; data: Record<string, unknown> };
export type Handler = (event: BusEvent) => Promise<void>;

export type EventBus = {
  publish(stream: string, type: string, data: Record<string, unknown>): Promise<string>;
  /** Handles `stream`'s events for `group` until `signal` aborts. */
  consume(stream: string, group: string, handler: Handler, signal: AbortSignal): Promise<void>;
};

/** The subset of an ioredis client the Redis bus uses. */
export type StreamsClient = {
  xadd(
    stream: string,
    trim: "MAXLEN",
    approximately: "~",
    length: number,
    id: "*",
    ...fields: string[]
  ): Promise<string | null>;
  xgroup(
    command: "CREATE",
    stream: string,
    group: string,
    id: string,
    mkstream: "MKSTREAM",
  ): Promise<unknown>;
  xreadgroup(...args: (string | number)[]): Promise<unknown>;
  xack(stream: string, group: string, id: string): Promise<number>;
  duplicate(): StreamsClient & { disconnect(): void };
};

type StreamReply = [string, [string, string[]][]][] | null;

export function redisBus(redis: StreamsClient, consumer: string): EventBus {
  return {
    async publish(stream, type, data) {
      // Capped: the stream keeps about the last 10 000 events, not every event ever published.
      return (await redis.xadd(
        stream,
        "MAXLEN",
        "~",
        10_000,
        "*",
        "type",
        type,
        "data",
        JSON.stringify(data),
      )) as string;
    },
    async consume(stream, group, handler, signal) {
      await redis.xgroup("CREATE", stream, group, "0", "MKSTREAM").catch((error: Error) => {
        if (!error.message.includes("BUSYGROUP")) throw error;
      });
      // Blocking reads hold a connection: each consumer gets its own.
      const reader = redis.duplicate();
      signal.addEventListener("abort", () => reader.disconnect(), { once: true });
      // First what this consumer was given but never acknowledged (it died mid-way), then new events.
      let cursor = "0";
      while (!signal.aborted) {
        const reply = (await reader
          .xreadgroup(
            "GROUP",
            group,
            consumer,
            "COUNT",
            50,
            "BLOCK",
            1000,
            "STREAMS",
            stream,
            cursor,
          )
          .catch((error: Error) => {
            if (signal.aborted) return null;
            throw error;
          })) as StreamReply;
        const entries = reply?.[0]?.[1] ?? [];
        if (cursor === "0" && entries.length === 0) cursor = ">";
        for (const [id, fields] of entries) {
          const map = new Map<string, string>();
          for (let i = 0; i + 1 < fields.length; i += 2)
            map.set(fields[i] as string, fields[i + 1] as string);
          await handler({
            id,
            type: map.get("type") ?? "",
            data: JSON.parse(map.get("data") ?? "{}"),
          });
          await redis.xack(stream, group, id);
        }
      }
    },
  };
}

/** The subset of a pg pool the table bus uses. */
export type SqlClient = {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
};
export type SqlPool = SqlClient & { connect(): Promise<SqlClient & { release(): void }> };

/** The table bus's tables; the fleet creates them up front, tableBus again if they are missing. */
export const TABLE_BUS_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS demo_event (
    id bigserial PRIMARY KEY, stream text NOT NULL, type text NOT NULL, data jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS demo_event_offset (
    stream text NOT NULL, consumer_group text NOT NULL, last_id bigint NOT NULL,
    PRIMARY KEY (stream, consumer_group))`,
];

/**
 * The bus on PostgreSQL tables in the demo's own database. One consumer per group reads at a
 * time, holding an advisory lock on its own connection; the others wait as standbys and take
 * over when its session ends (the process died or stopped).
 */
export async function tableBus(pool: SqlPool, pollMs = 200): Promise<EventBus> {
  for (const statement of TABLE_BUS_SCHEMA) await pool.query(statement);
  return {
    async publish(stream, type, data) {
      const { rows } = await pool.query<{ id: string }>(
        "INSERT INTO demo_event (stream, type, data) VALUES ($1, $2, $3) RETURNING id::text",
        [stream, type, JSON.stringify(data)],
      );
      return (rows[0] as { id: string }).id;
    },
    async consume(stream, group, handler, signal) {
      await pool.query(
        "INSERT INTO demo_event_offset (stream, consumer_group, last_id) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING",
        [stream, group],
      );
      const sql = await pool.connect();
      try {
        while (!signal.aborted) {
          const { rows } = await sql.query<{ locked: boolean }>(
            "SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked",
            [stream, group],
          );
          if (rows[0]?.locked) break;
          await pause(pollMs * 5, signal);
        }
        while (!signal.aborted) {
          const { rows } = await sql.query<{
            id: string;
            type: string;
            data: Record<string, unknown>;
          }>(
            `SELECT e.id::text, e.type, e.data FROM demo_event e
               JOIN demo_event_offset o ON o.stream = e.stream AND o.consumer_group = $2
              WHERE e.stream = $1 AND e.id > o.last_id ORDER BY e.id LIMIT 50`,
            [stream, group],
          );
          for (const row of rows) {
            if (signal.aborted) return;
            await handler({ id: row.id, type: row.type, data: row.data });
            await sql.query(
              "UPDATE demo_event_offset SET last_id = $3 WHERE stream = $1 AND consumer_group = $2",
              [stream, group, row.id],
            );
          }
          if (rows.length === 0) await pause(pollMs, signal);
        }
      } finally {
        await sql
          .query("SELECT pg_advisory_unlock(hashtext($1), hashtext($2))", [stream, group])
          .catch(() => {});
        sql.release();
      }
    },
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
