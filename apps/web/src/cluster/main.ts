import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startCluster } from "./cluster.ts";

// `npm run cluster`: the cluster arrangement for people to try (see cluster.ts), until Ctrl-C.

const built = fileURLToPath(new URL("../../.next/BUILD_ID", import.meta.url));
if (!existsSync(built)) {
  process.stderr.write(
    "cluster: the replicas serve the production build; run `npm run build` first\n",
  );
  process.exit(1);
}
const log = (line: string) => process.stdout.write(`${line}\n`);
log(
  "cluster: starting a primary and its read replica, 2 shard servers, Redis, 3 replicas and HAProxy…",
);
const cluster = await startCluster();
const banner = cluster.replicas[0]?.process.lines.filter((line) => /admin@|password/i.test(line));
log(`
Vigil, 3 replicas behind HAProxy:  ${cluster.url}
  replicas        ${cluster.replicas.map((replica) => replica.url).join("  ")}
  primary         ${cluster.databaseUrl}
  read replica    ${cluster.readUrl}
  shards          ${cluster.shardUrls.join("  ")}
  Redis           ${cluster.redisUrl}
${banner?.length ? `first start (the admin to sign in as):\n${banner.join("\n")}\n` : ""}Ctrl-C stops everything and deletes its data.`);
const stop = () => {
  log("cluster: stopping…");
  void cluster.stop().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
