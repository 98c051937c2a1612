import { freePort } from "@vigil/db/embedded";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "../lib/redis.ts";
import { TEST_AUTH_SECRET } from "../testing/alerting.ts";
import { redisForTests } from "../testing/redis.ts";
import { startVigil, stopStartedVigils, type VigilProcess } from "../testing/vigil-process.ts";

// Two control-plane replicas on one PostgreSQL and one Redis, as a load balancer would spread
// one client's requests over them: the sign-in limit (10 a minute per client address) holds
// for the cluster, not for each replica.

const database = setupTestDatabase();
afterAll(stopStartedVigils);

const realRedis = await redisForTests("replicas.int.test");
describe.skipIf(!realRedis)("replicas sharing Redis", () => {
  it("refuse the 11th wrong sign-in of a minute whichever replica it reaches", {
    timeout: 150_000,
  }, async () => {
    // A Redis database of this test's own, emptied, so no other run's counters are in it.
    const redisUrl = `redis://${realRedis?.options.host}:${realRedis?.options.port}/7`;
    const admin = createRedis(redisUrl);
    await admin.flushdb();
    admin.disconnect();
    realRedis?.disconnect();

    const start = async (): Promise<VigilProcess & { base: string }> => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const vigil = await startVigil(port, {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: database.current().url,
        REDIS_URL: redisUrl,
        VIGIL_AUTH_SECRET: TEST_AUTH_SECRET,
        VIGIL_PUBLIC_URL: base,
      });
      return { ...vigil, base };
    };
    const replicas = [await start(), await start()];
    const signIn = async (base: string) =>
      (
        await fetch(`${base}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: base },
          body: JSON.stringify({ email: "nobody@vigil.local", password: "wrong-password" }),
        })
      ).status;

    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push(await signIn((replicas[i % 2] as { base: string }).base));
    expect(statuses).toEqual(Array(10).fill(401));
    for (const replica of replicas) expect(await signIn(replica.base)).toBe(429);
  });
});
