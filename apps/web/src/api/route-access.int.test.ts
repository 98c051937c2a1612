import { randomUUID } from "node:crypto";
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { setupTestDatabase } from "@vigil/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../domain/keys/api-keys.ts";
import { setTestRuntime } from "../testing/alerting.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";

// Every REST route handler and the least key scope it needs. A route missing here fails the
// first test: new routes must state who may call them.

setupTestDatabase();

type Scope = "read" | "admin";
const needs: Record<string, Scope> = {
  "GET alerts": "read",
  "GET alerts/history": "read",
  "GET alerts/notifications": "read",
  "POST alerts/notifications/[notificationId]/replay": "admin",
  "GET alerts/receivers": "admin",
  "POST alerts/receivers": "admin",
  "GET alerts/receivers/[receiverId]": "admin",
  "PUT alerts/receivers/[receiverId]": "admin",
  "DELETE alerts/receivers/[receiverId]": "admin",
  "POST alerts/receivers/[receiverId]/rotate-secret": "admin",
  "POST alerts/receivers/[receiverId]/test": "admin",
  "GET alerts/routing": "read",
  "PUT alerts/routing": "admin",
  "GET alerts/rules": "read",
  "POST alerts/rules": "admin",
  "POST alerts/rules/preview": "read",
  "POST alerts/rules/prometheus": "admin",
  "GET alerts/rules/[ruleId]": "read",
  "PUT alerts/rules/[ruleId]": "admin",
  "DELETE alerts/rules/[ruleId]": "admin",
  "GET alerts/silences": "read",
  "POST alerts/silences": "admin",
  "DELETE alerts/silences/[silenceId]": "admin",
  "GET logs": "read",
  "GET metrics/query": "read",
  "GET project": "read",
  "GET services": "read",
  "GET traces": "read",
  "GET traces/[traceId]": "read",
};

type Handler = (request: Request, context: { params: Promise<unknown> }) => Promise<Response>;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const root = fileURLToPath(new URL("../app/api/v1/", import.meta.url));

/** Every exported handler under app/api/v1, as "METHOD path". */
async function routeHandlers(): Promise<Map<string, Handler>> {
  const files = (await readdir(root, { recursive: true })).filter((file) =>
    file.endsWith("route.ts"),
  );
  const handlers = new Map<string, Handler>();
  for (const file of files) {
    const module = (await import(`${root}${file}`)) as Partial<Record<string, Handler>>;
    const path = file.replace(/\/?route\.ts$/, "");
    for (const method of METHODS) {
      const handler = module[method];
      if (handler) handlers.set(`${method} ${path}`, handler);
    }
  }
  return handlers;
}

const keys = { ingest: "", read: "", admin: "", revoked: "" };
let handlers: Map<string, Handler>;
beforeAll(async () => {
  setTestRuntime();
  const { projectId } = await createOrgWithProject();
  for (const scope of ["ingest", "read", "admin"] as const)
    keys[scope] = (await createApiKey({ projectId, name: scope, scope })).secret;
  const revoked = await createApiKey({ projectId, name: "gone", scope: "admin" });
  await revokeApiKey(projectId, revoked.key.id);
  keys.revoked = revoked.secret;
  handlers = await routeHandlers();
});

async function call(route: string, key: string): Promise<number> {
  const [method, path] = route.split(" ") as [string, string];
  const params = Object.fromEntries(
    [...path.matchAll(/\[(\w+)\]/g)].map((match) => [match[1], randomUUID()]),
  );
  const url = `http://vigil.test/api/v1/${path.replace(/\[(\w+)\]/g, (_all, name) => params[name])}`;
  const request = new Request(url, {
    method,
    headers: {
      "content-type": "application/json",
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: method === "GET" || method === "DELETE" ? undefined : "{}",
  });
  const handler = handlers.get(route);
  if (!handler) throw new Error(`no handler for ${route}`);
  return (await handler(request, { params: Promise.resolve(params) })).status;
}

describe("REST route handlers", () => {
  it("each state the key scope they need", () => {
    expect([...handlers.keys()].sort()).toEqual(Object.keys(needs).sort());
  });

  it.each(Object.entries(needs))(
    "%s: 401 without a valid key, 403 for a key of too small a scope",
    async (route, scope) => {
      expect(await call(route, "")).toBe(401);
      expect(await call(route, keys.revoked)).toBe(401);
      expect(await call(route, keys.ingest)).toBe(403);
      const asRead = await call(route, keys.read);
      if (scope === "admin") expect(asRead).toBe(403);
      else expect([401, 403]).not.toContain(asRead);
      expect([401, 403, 500]).not.toContain(await call(route, keys.admin));
    },
  );
});
