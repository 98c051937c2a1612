// VIGIL_SCRAPE_FILE: the subset of Prometheus's `scrape_configs` Vigil reads — job_name,
// static_configs (targets, labels), metrics_path, scheme, scrape_interval, scrape_timeout and
// sample_limit — so a Prometheus configuration's scrape section can be pasted as it is. Keys
// Vigil does not read are refused by name rather than silently ignored.
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { z } from "zod";
import { parseDuration } from "../prometheus/promql/literals.ts";

export type ScrapeJob = {
  jobName: string;
  targets: { address: string; labels: Record<string, string> }[];
  metricsPath: string;
  scheme: "http" | "https";
  intervalMs: number;
  timeoutMs: number;
  sampleLimit: number;
};

export const DEFAULT_INTERVAL_MS = 60_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_SAMPLE_LIMIT = 50_000;

const duration = (what: string) =>
  z.string().transform((text, ctx) => {
    try {
      const ms = parseDuration(text);
      if (ms >= 1000) return ms;
      ctx.addIssue({ code: "custom", message: `${what} must be at least 1s` });
    } catch {
      ctx.addIssue({
        code: "custom",
        message: `${what} "${text}" is not a duration (say 15s or 1m)`,
      });
    }
    return z.NEVER;
  });

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const target = z.string().regex(/^[^/\s]+:\d{1,5}$/, "a target is host:port (no scheme, no path)");

const job = z
  .object({
    job_name: z.string().min(1, "job_name is required").max(255),
    metrics_path: z.string().startsWith("/", "metrics_path starts with /").default("/metrics"),
    scheme: z.enum(["http", "https"]).default("http"),
    scrape_interval: duration("scrape_interval").optional(),
    scrape_timeout: duration("scrape_timeout").optional(),
    sample_limit: z.number().int().positive().max(1_000_000).optional(),
    static_configs: z
      .array(
        z
          .object({
            targets: z.array(target).min(1, "static_configs needs targets"),
            labels: z
              .record(
                z.string().regex(labelName, "label names are [a-zA-Z_][a-zA-Z0-9_]*"),
                z.string(),
              )
              .default({}),
          })
          .strict(),
      )
      .min(1, "a job needs static_configs"),
  })
  .strict();

const file = z
  .object({
    global: z
      .object({
        scrape_interval: duration("scrape_interval").optional(),
        scrape_timeout: duration("scrape_timeout").optional(),
      })
      .partial()
      .optional(),
    scrape_configs: z.array(job).max(1000),
  })
  .strict();

/** The jobs of a scrape file's text; the error names the key and what is wrong with it. */
export function parseScrapeConfig(text: string): ScrapeJob[] {
  const parsed = file.safeParse(parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`scrape file: ${issue?.path.join(".") || "(top)"}: ${issue?.message}`);
  }
  const names = new Set<string>();
  return parsed.data.scrape_configs.map((j) => {
    if (names.has(j.job_name))
      throw new Error(`scrape file: job_name "${j.job_name}" appears twice`);
    names.add(j.job_name);
    const intervalMs =
      j.scrape_interval ?? parsed.data.global?.scrape_interval ?? DEFAULT_INTERVAL_MS;
    const timeoutMs = Math.min(
      intervalMs,
      j.scrape_timeout ?? parsed.data.global?.scrape_timeout ?? DEFAULT_TIMEOUT_MS,
    );
    return {
      jobName: j.job_name,
      targets: j.static_configs.flatMap((c) =>
        c.targets.map((address) => ({ address, labels: c.labels })),
      ),
      metricsPath: j.metrics_path,
      scheme: j.scheme,
      intervalMs,
      timeoutMs,
      sampleLimit: j.sample_limit ?? DEFAULT_SAMPLE_LIMIT,
    };
  });
}

export async function readScrapeFile(path: string): Promise<ScrapeJob[]> {
  return parseScrapeConfig(await readFile(path, "utf8"));
}
