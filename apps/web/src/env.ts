import { isIP } from "node:net";
import { z } from "zod";

// Every environment variable the control plane reads, validated once. Nothing else reads
// process.env. Keys are checked against the format Vigil itself generates loosely: long enough
// to be a secret, and only characters that survive HTTP headers and shells unquoted.
const keySecret = z
  .string()
  .regex(/^[A-Za-z0-9._~-]+$/, "use only letters, digits and . _ ~ -")
  .min(24, "must be at least 24 characters (a shorter key is guessable)")
  .max(200, "must be at most 200 characters");

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\/.+/, "must be a postgresql:// URL")),
  /** A streaming replica of DATABASE_URL for dashboard and read-API queries. */
  DATABASE_READ_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\/.+/, "must be a postgresql:// URL"),
  ),
  /** Reads leave the replica while its lag is over this many seconds. */
  VIGIL_READ_MAX_LAG_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .min(0, "must be ≥ 0")
    .max(3600, "must be at most 3600")
    .default(10),
  /**
   * Shard servers for telemetry, comma-separated postgresql:// URLs (see packages/db/src/shards):
   * the database above stays the coordinator every replica connects to.
   */
  VIGIL_SHARDS: optional(
    z
      .string()
      .transform((value) => value.split(",").map((url) => url.trim()))
      .pipe(
        z
          .array(
            z.string().regex(/^postgres(ql)?:\/\/.+/, "each shard must be a postgresql:// URL"),
          )
          .min(1)
          .max(16, "at most 16 shards")
          .refine((urls) => new Set(urls).size === urls.length, "a shard is named twice"),
      ),
  ),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\/.+/, "must be a redis:// or rediss:// URL")),
  VIGIL_PUBLIC_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
  VIGIL_DATA_DIR: optional(z.string().min(1)),
  VIGIL_AUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
  VIGIL_INIT_INGEST_KEY: optional(keySecret),
  VIGIL_INIT_API_KEY: optional(keySecret),
  VIGIL_INIT_ADMIN_EMAIL: optional(z.email("must be an email address")),
  VIGIL_INIT_ADMIN_PASSWORD: optional(
    z.string().min(8, "must be at least 8 characters").max(128, "must be at most 128 characters"),
  ),
  /** When set, GET /metrics needs `Authorization: Bearer <this>` (Prometheus: `authorization`). */
  VIGIL_METRICS_TOKEN: optional(keySecret),
  /** Load balancers whose X-Forwarded-For names the client: addresses and CIDR ranges, comma-separated. */
  VIGIL_TRUSTED_PROXIES: optional(
    z.string().refine(
      (value) =>
        value.split(",").every((entry) => {
          const [address = "", bits, extra] = entry.trim().split("/");
          const family = isIP(address);
          const max = family === 6 ? 128 : 32;
          return (
            family !== 0 &&
            extra === undefined &&
            (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max))
          );
        }),
      "must be IP addresses or CIDR ranges, comma-separated (e.g. 10.0.0.0/8, 127.0.0.1)",
    ),
  ),
  VIGIL_ALLOW_INTERNAL_TARGETS: optional(
    z.enum(["true", "false"], "must be true or false").transform((value) => value === "true"),
  ),
  /** Run the demo fleet (1) or not (0); by default it runs on the embedded database only. */
  VIGIL_DEMO: optional(z.enum(["0", "1"], "must be 0 or 1").transform((value) => value === "1")),
  /**
   * Send Vigil's own telemetry, through its own agent, to a "Vigil" project (1): requests and
   * errors per replica, its Redis, read replica and shards. On in `npm run cluster`.
   */
  VIGIL_SELF_OBSERVE: optional(
    z.enum(["0", "1"], "must be 0 or 1").transform((value) => value === "1"),
  ),
  /** A YAML file of alert rules, receivers, routes and silences, applied at every start. */
  VIGIL_ALERTS_FILE: optional(z.string().min(1)),
  /** Prometheus scrape_configs (a subset) the leader scrapes into the default project. */
  VIGIL_SCRAPE_FILE: optional(z.string().min(1)),
  /** How often a replica that does not lead background jobs tries to take over (ms). */
  VIGIL_LEADER_RETRY_MS: z.coerce
    .number({ error: "must be a number of milliseconds" })
    .int("must be a whole number of milliseconds")
    .min(100, "must be at least 100")
    .max(600_000, "must be at most 600000")
    .default(10_000),
  /** Where child processes (the cluster mode's servers) find their programs. */
  PATH: z.string().default(""),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
  LOG_FORMAT: z.enum(["pretty", "json"]).optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses a set of variables; the error names each bad variable and what is wrong with it. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const env = result.data;
  if (env.DATABASE_READ_URL && !env.DATABASE_URL) {
    throw new EnvError(
      "Invalid environment:\n  DATABASE_READ_URL needs DATABASE_URL: a read replica replicates a primary you run",
    );
  }
  if (Boolean(env.VIGIL_INIT_ADMIN_EMAIL) !== Boolean(env.VIGIL_INIT_ADMIN_PASSWORD)) {
    throw new EnvError(
      "Invalid environment:\n  VIGIL_INIT_ADMIN_EMAIL and VIGIL_INIT_ADMIN_PASSWORD must be set together",
    );
  }
  if (env.VIGIL_INIT_INGEST_KEY && env.VIGIL_INIT_INGEST_KEY === env.VIGIL_INIT_API_KEY) {
    throw new EnvError(
      "Invalid environment:\n  VIGIL_INIT_API_KEY must differ from VIGIL_INIT_INGEST_KEY",
    );
  }
  return env;
}

let cached: Env | undefined;
/** The process's environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
