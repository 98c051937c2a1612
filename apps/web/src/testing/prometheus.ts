import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@vigil/db/embedded";
import { startChildServer } from "../cluster/child-server.ts";

// Debian's Prometheus (2.42) as a child of the test: the reference Vigil's PromQL is compared
// with, and a real remote-write sender. Its data lives in a temporary directory removed on stop.

export type PrometheusServer = { url: string; dir: string; stop(): Promise<void> };

/** Starts Prometheus with `config` (YAML) and the remote-write receiver on a free port. */
export async function startPrometheus(config = "global: {}\n"): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), "vigil-prometheus-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Samples up to 3 hours behind the newest are accepted in any order.
  await writeFile(
    join(dir, "prometheus.yml"),
    `${config}\nstorage:\n  tsdb:\n    out_of_order_time_window: 3h\n`,
  );
  const server = await startChildServer(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--web.enable-remote-write-receiver",
    ],
    async () => (await fetch(`${url}/-/ready`)).status === 200,
  );
  return {
    url,
    dir,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
