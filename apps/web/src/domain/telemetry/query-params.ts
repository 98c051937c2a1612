import { z } from "zod";
import { parseDuration } from "../../lib/duration.ts";
import { DomainError } from "../errors.ts";

const NS_PER_MS = 1_000_000n;

/** A time as RFC 3339 or Unix milliseconds, to Unix nanoseconds. */
export const timeParam = (name: string) =>
  z
    .string()
    .trim()
    .transform((value, context) => {
      if (/^\d{1,15}$/.test(value)) return BigInt(value) * NS_PER_MS;
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
        const ms = Date.parse(value);
        if (!Number.isNaN(ms)) return BigInt(ms) * NS_PER_MS;
      }
      context.addIssue({
        code: "custom",
        message: `${name} must be an RFC 3339 time (2026-11-23T10:00:00Z) or Unix milliseconds`,
      });
      return z.NEVER;
    });

/** A step such as 30s, 5m, 1h, 1d or a number of milliseconds, to nanoseconds. */
export const stepParam = z
  .string()
  .trim()
  .transform((value, context) => {
    const ms = /^\d+$/.test(value) ? Number(value) : parseDuration(value);
    if (ms === null || !Number.isFinite(ms) || ms < 1000) {
      context.addIssue({
        code: "custom",
        message: "step must be at least 1s, written like 30s, 5m, 1h or in milliseconds",
      });
      return z.NEVER;
    }
    return BigInt(ms) * NS_PER_MS;
  });

/**
 * The query string of a request as an object; a repeated parameter keeps its last value. A NUL
 * character, which no stored text can hold, is refused here for every parameter.
 */
export function queryOf(request: Request): Record<string, string> {
  const query = Object.fromEntries(new URL(request.url).searchParams.entries());
  for (const [name, value] of Object.entries(query))
    if (value.includes("\0") || name.includes("\0"))
      throw new DomainError("BAD_REQUEST", `${name}: must not contain NUL characters`);
  return query;
}

/** A zod error as one sentence naming each bad parameter. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
    )
    .join("; ");
}

/** The input as the schema parses it, or a BAD_REQUEST naming each bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new DomainError("BAD_REQUEST", describeIssues(result.error));
  return result.data;
}

/** Defaults for a time window: the last hour, ending now. */
export function window(
  from: bigint | undefined,
  to: bigint | undefined,
): { fromNs: bigint; toNs: bigint } {
  const toNs = to ?? BigInt(Date.now()) * NS_PER_MS;
  return { fromNs: from ?? toNs - 3_600_000n * NS_PER_MS, toNs };
}

export const nsToIso = (ns: bigint | string) =>
  new Date(Number(BigInt(ns) / NS_PER_MS)).toISOString();

/** Attribute filters (`attr.<key>=<value>` parameters): at most 20, keys and values bounded. */
export const attributeFilters = z
  .record(
    z.string().min(1, "an attribute filter needs a key: attr.<key>=<value>").max(255),
    z.string().max(1000, "an attribute value is at most 1,000 characters"),
  )
  .refine((filters) => Object.keys(filters).length <= 20, "at most 20 attribute filters")
  .default({});

/** Splits `attr.<key>` parameters into `where`, leaving the rest as they are. */
export function withAttributeFilters(input: Record<string, unknown>, prefix = "attr.") {
  const where: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith(prefix) && typeof value === "string")
      where[key.slice(prefix.length)] = value;
    else rest[key] = value;
  }
  return { ...rest, where };
}

/** `key=value` pairs separated by spaces (as typed in a search box) as attribute filters. */
export function parseAttributeText(text: string | undefined): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const match of (text ?? "").matchAll(/([^\s=]+)=(\S*)/g)) {
    filters[match[1] as string] = match[2] as string;
  }
  return filters;
}
