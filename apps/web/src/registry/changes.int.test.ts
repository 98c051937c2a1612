import { listenForRegistryChanges, notifyRegistryChange } from "@vigil/db/registry";
import { setupTestDatabase } from "@vigil/db/testing";
import { describe, expect, it } from "vitest";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { announceChange, waitForChange } from "./changes.ts";

const database = setupTestDatabase();

describe("blocking reads across replicas", () => {
  it("wake for a change another replica announced through PostgreSQL", async () => {
    const { projectId } = await createOrgWithProject();
    const listener = listenForRegistryChanges(database.url(), announceChange);
    try {
      await listener.ready;
      const waiting = waitForChange(projectId, 41n, 10_000);
      // Only the NOTIFY, as another replica sends it: nothing was announced in this process.
      await notifyRegistryChange(database.current().pool, projectId, 42n);
      expect(await waiting).toBe(true);
      // An index that is not newer wakes nobody; the reader then answers at its timeout.
      const stale = waitForChange(projectId, 42n, 300);
      await notifyRegistryChange(database.current().pool, projectId, 42n);
      expect(await stale).toBe(false);
    } finally {
      await listener.stop();
    }
  });
});
