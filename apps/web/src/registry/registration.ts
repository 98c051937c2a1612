import { z } from "zod";
import { DomainError } from "../domain/errors.ts";
import { parseDuration } from "../lib/duration.ts";

// A Consul service registration, parsed once at the boundary. Bounds follow Consul where it has
// them (64 meta pairs, keys up to 128 characters, values up to 512, DeregisterCriticalServiceAfter
// at least 1m) and are otherwise generous ceilings that keep every value storable and every
// background job bounded: a check cannot ask for a 596-hour timeout.

export type Status = "passing" | "warning" | "critical";

const SECOND = 1000;
const HOUR = 3_600_000;

/** Text a column can hold: bounded, and without NUL (which PostgreSQL text cannot store). */
const text = (field: string, max: number) =>
  z
    .string(`${field} must be a string`)
    .max(max, `${field} must be at most ${max} characters`)
    .refine((value) => !value.includes("\0"), `${field} must not contain NUL characters`);

/** A Go duration ("10s", "1m30s") within bounds, as milliseconds. */
const duration = (field: string, min: number, max: number, example: string) =>
  z.unknown().transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === null) {
      ctx.addIssue({
        code: "custom",
        message: `${field} must be a duration such as "${example}", not ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({
        code: "custom",
        message: `${field} must be between ${format(min)} and ${format(max)}, not ${String(value)}`,
      });
      return z.NEVER;
    }
    return ms;
  });

function format(ms: number): string {
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % SECOND === 0 ? `${ms / SECOND}s` : `${ms}ms`;
}

export const checkBounds = {
  ttl: { min: SECOND, max: 24 * HOUR },
  interval: { min: SECOND, max: 24 * HOUR },
  timeout: { min: 100, max: 5 * 60 * SECOND },
  /** Consul raises a shorter DeregisterCriticalServiceAfter to this minimum. */
  deregister: { min: 60 * SECOND, max: 7 * 24 * HOUR },
} as const;

const checkSchema = z
  .object({
    CheckID: text("CheckID", 255).optional(),
    ID: text("ID", 255).optional(),
    Name: text("Name", 255).optional(),
    Notes: text("Notes", 1024).optional(),
    TTL: duration("TTL", checkBounds.ttl.min, checkBounds.ttl.max, "10s").optional(),
    HTTP: text("HTTP", 2048)
      .regex(/^https?:\/\//, "HTTP must be an http(s) URL")
      .optional(),
    Interval: duration(
      "Interval",
      checkBounds.interval.min,
      checkBounds.interval.max,
      "10s",
    ).optional(),
    Timeout: duration("Timeout", checkBounds.timeout.min, checkBounds.timeout.max, "5s").optional(),
    Status: z
      .enum(["passing", "warning", "critical"], "Status must be passing, warning or critical")
      .optional(),
    DeregisterCriticalServiceAfter: duration(
      "DeregisterCriticalServiceAfter",
      0,
      checkBounds.deregister.max,
      "10m",
    ).optional(),
  })
  .refine(
    (check) => check.TTL !== undefined || check.HTTP,
    "TTL or HTTP (with Interval) must be given",
  )
  .refine(
    (check) => !check.HTTP || check.Interval !== undefined,
    'an HTTP check needs an Interval such as "10s"',
  );

const registrationSchema = z.object({
  Name: text("Name", 255)
    .transform((name) => name.trim())
    .refine((name) => name !== "", "Missing service name: Name is required"),
  ID: text("ID", 255).optional(),
  Address: text("Address", 255).optional(),
  Port: z.coerce
    .number("Port must be a number")
    .int("Port must be 0–65535")
    .min(0, "Port must be 0–65535")
    .max(65535, "Port must be 0–65535")
    .optional(),
  Tags: z.array(text("a tag", 255), "Tags must be a list").max(64, "at most 64 Tags").optional(),
  Meta: z
    .record(text("a Meta key", 128), text("a Meta value", 512), "Meta must be an object")
    .refine((meta) => Object.keys(meta).length <= 64, "at most 64 Meta pairs")
    .optional(),
  Check: checkSchema.optional(),
  Checks: z.array(checkSchema, "Checks must be a list").max(32, "at most 32 Checks").optional(),
});

export type CheckSpec = {
  id: string;
  instanceId: string;
  name: string;
  kind: "ttl" | "http";
  status: Status;
  notes: string;
  ttlMs: number | null;
  httpUrl: string | null;
  intervalMs: number | null;
  timeoutMs: number | null;
  deregisterAfterMs: number | null;
};

export type RegistrationSpec = {
  service: string;
  id: string;
  address: string;
  port: number;
  tags: string[];
  meta: Record<string, string>;
  checks: CheckSpec[];
};

/** A registration body as Vigil stores it; a DomainError (400) names the first bad field. */
export function parseRegistration(body: unknown): RegistrationSpec {
  const parsed = registrationSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const inCheck = issue?.path.some((part) => part === "Check" || part === "Checks");
    throw new DomainError(
      "BAD_REQUEST",
      `${inCheck ? "Invalid check: " : ""}${issue?.message ?? "invalid registration"}`,
    );
  }
  const registration = parsed.data;
  const id = registration.ID?.trim() || registration.Name;
  const raws = registration.Checks ?? (registration.Check ? [registration.Check] : []);
  const checks = raws.map((raw, i): CheckSpec => {
    const status = raw.Status ?? "critical";
    return {
      id: raw.CheckID || raw.ID || (raws.length === 1 ? `service:${id}` : `service:${id}:${i + 1}`),
      instanceId: id,
      name: raw.Name || `Service '${id}' check`,
      kind: raw.TTL !== undefined ? "ttl" : "http",
      status,
      notes: raw.Notes ?? "",
      ttlMs: raw.TTL ?? null,
      httpUrl: raw.HTTP || null,
      intervalMs: raw.Interval ?? null,
      timeoutMs: raw.Timeout ?? null,
      deregisterAfterMs:
        raw.DeregisterCriticalServiceAfter === undefined
          ? null
          : Math.max(raw.DeregisterCriticalServiceAfter, checkBounds.deregister.min),
    };
  });
  return {
    service: registration.Name,
    id,
    address: registration.Address ?? "",
    port: registration.Port ?? 0,
    tags: registration.Tags ?? [],
    meta: registration.Meta ?? {},
    checks,
  };
}
