import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { db } from "@vigil/db";
import { freePort } from "@vigil/db/embedded";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TEST_AUTH_SECRET } from "../../testing/alerting.ts";
import { startVigil, stopStartedVigils } from "../../testing/vigil-process.ts";
import {
  startWebhookReceiver,
  verifiedBody,
  type WebhookReceiver,
} from "../../testing/webhook-receiver.ts";
import type { AlertmanagerBody } from "./alertmanager-payload.ts";
import { newWebhookSecret } from "./webhook-signature.ts";

// R3: the receiver answers 500 while the control plane is killed (SIGKILL) and started again;
// once the receiver recovers, every notification arrives with its original webhook-id. The
// alerting setup comes from a YAML file, as a team would provision it.

const database = setupTestDatabase();
let receiver: WebhookReceiver;
let dir: string;
const secret = newWebhookSecret();

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  dir = await mkdtemp(join(tmpdir(), "vigil-alerts-"));
  await writeFile(
    join(dir, "alerts.yaml"),
    `receivers:
  - name: ops
    url: ${receiver.url}
    secret: ${secret}
route:
  receiver: ops
  group_by: [alertname]
  group_wait: 1s
groups:
  - name: capacity
    interval: 1s
    rules:
      - alert: PaymentsDown
        registry: passing_below
        service: payments
        threshold: 1
        labels: { severity: critical }
        annotations: { summary: "{{ $labels.service }} has {{ $value }} passing instances" }
`,
  );
});
afterEach(stopStartedVigils);
afterAll(async () => {
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a notification while the receiver fails and the control plane is killed", () => {
  it("arrives after the receiver recovers, with its original webhook-id", {
    timeout: 180_000,
  }, async () => {
    receiver.answer(() => ({ status: 500, body: "down for maintenance" }));
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: database.url(),
      VIGIL_AUTH_SECRET: TEST_AUTH_SECRET,
      VIGIL_ALLOW_INTERNAL_TARGETS: "true",
      VIGIL_ALERTS_FILE: join(dir, "alerts.yaml"),
    };
    const first = await startVigil(port, env);
    // Two failed attempts, then the process dies without a chance to clean up.
    await receiver.next((request) => receiver.received.indexOf(request) >= 1);
    first.child.kill("SIGKILL");
    await first.exited;
    const beforeRestart = receiver.received.length;

    await startVigil(port, env);
    await receiver.next((request) => receiver.received.indexOf(request) >= beforeRestart);
    receiver.answer(() => ({ status: 200 }));
    const delivered = await receiver.next((request) => request.answered === 200);

    const failedIds = new Set(
      receiver.received.filter((r) => r.answered === 500).map((r) => r.headers["webhook-id"]),
    );
    const deliveredIds = new Set(
      receiver.received.filter((r) => r.answered === 200).map((r) => r.headers["webhook-id"]),
    );
    expect([...failedIds].every((id) => deliveredIds.has(id))).toBe(true);
    const body = verifiedBody<AlertmanagerBody>(secret, delivered);
    expect(body.status).toBe("firing");
    expect(body.commonLabels).toEqual({
      alertname: "PaymentsDown",
      service: "payments",
      severity: "critical",
    });
    expect(body.commonAnnotations.summary).toBe("payments has 0 passing instances");
    // The outbox kept every attempt, before and after the kill.
    const row = await db().prisma.alertNotification.findFirstOrThrow({
      where: { id: String(delivered.headers["webhook-id"]) },
      include: { attemptLog: true },
    });
    expect(row.status).toBe("delivered");
    expect(
      row.attemptLog.filter((attempt) => attempt.statusCode === 500).length,
    ).toBeGreaterThanOrEqual(2);
  });
});
