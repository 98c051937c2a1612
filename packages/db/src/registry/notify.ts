import pg from "pg";

const CHANNEL = "vigil_registry";

/** Tells every replica that a project's registry index moved (after the change committed). */
export async function notifyRegistryChange(
  pool: pg.Pool,
  projectId: string,
  index: bigint,
): Promise<void> {
  await pool.query("SELECT pg_notify($1, $2)", [CHANNEL, `${projectId}:${index}`]);
}

/**
 * Listens for registry changes made by any replica on one dedicated connection, reconnecting
 * after a second when it drops. Returns a stop function.
 */
export function listenForRegistryChanges(
  connectionString: string,
  onChange: (projectId: string, index: bigint) => void,
  onError: (error: Error) => void = () => {},
): { ready: Promise<void>; stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client({ connectionString, application_name: "vigil-registry-listener" });
    next.on("notification", (message) => {
      const [projectId, index] = (message.payload ?? "").split(":");
      if (projectId && index && /^\d+$/.test(index)) onChange(projectId, BigInt(index));
    });
    next.on("error", (error) => {
      onError(error);
      client = undefined;
      next.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect(), 1000);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      client = next;
      markReady();
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
      await next.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect(), 1000);
    }
  };
  void connect();
  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
