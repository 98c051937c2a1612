import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseScrapeConfig } from "../scrape/config.ts";

// The configurations the docs hand to users (deploy/), read by what will read them: Prometheus's
// own promtool where it can, Vigil's scrape-file reader, and the shapes Grafana and the
// OpenTelemetry Collector expect.

const file = (path: string) =>
  fileURLToPath(new URL(`../../../../deploy/${path}`, import.meta.url));
const yaml = (path: string) => parse(readFileSync(file(path), "utf8"));

describe("the configurations in deploy/", () => {
  it("gives Prometheus a remote_write block promtool accepts, aimed at Vigil's endpoint with a bearer key", () => {
    const out = execFileSync(
      "promtool",
      ["check", "config", "--syntax-only", file("prometheus/remote-write.yml")],
      { encoding: "utf8" },
    );
    expect(out).toContain("SUCCESS");
    const [rw] = yaml("prometheus/remote-write.yml").remote_write;
    expect(rw.url).toMatch(/\/prometheus\/api\/v1\/write$/);
    expect(rw.authorization.type).toBe("Bearer");
  });

  it("gives a scrape file that both promtool and Vigil read", () => {
    const out = execFileSync(
      "promtool",
      ["check", "config", "--syntax-only", file("prometheus/scrape.yml")],
      { encoding: "utf8" },
    );
    expect(out).toContain("SUCCESS");
    const jobs = parseScrapeConfig(readFileSync(file("prometheus/scrape.yml"), "utf8"));
    expect(jobs.map((j) => [j.jobName, j.intervalMs])).toEqual([
      ["redis", 15_000],
      ["postgres", 15_000],
      ["node", 30_000],
    ]);
  });

  it("provisions a Grafana Prometheus data source at /prometheus with the read key as a bearer header", () => {
    const [source] = yaml("grafana/vigil-datasource.yaml").datasources;
    expect(source).toMatchObject({
      type: "prometheus",
      access: "proxy",
      url: "http://vigil:3000/prometheus",
    });
    expect(source.jsonData.httpHeaderName1).toBe("Authorization");
    expect(source.secureJsonData.httpHeaderValue1).toMatch(/^Bearer \$\{VIGIL_READ_KEY\}$/);
  });

  it("gives an OpenTelemetry Collector whose every pipeline ends at Vigil's OTLP endpoint", () => {
    const config = yaml("otel-collector/vigil.yaml");
    const exporter = config.exporters["otlphttp/vigil"];
    expect(exporter.endpoint).toBe("http://vigil:3000");
    expect(exporter.headers.Authorization).toMatch(/^Bearer /);
    expect(config.service.extensions).toEqual(Object.keys(config.extensions));
    expect(exporter.sending_queue.storage).toBe("file_storage");
    for (const [signal, pipeline] of Object.entries(config.service.pipelines) as [
      string,
      Record<string, string[]>,
    ][]) {
      expect(["traces", "metrics", "logs"]).toContain(signal);
      for (const name of pipeline.receivers ?? []) expect(config.receivers).toHaveProperty([name]);
      for (const name of pipeline.processors ?? [])
        expect(config.processors).toHaveProperty([name]);
      expect(pipeline.exporters).toEqual(["otlphttp/vigil"]);
    }
  });
});
