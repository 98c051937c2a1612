import { setupTestDatabase } from "@vigil/db/testing";
import { hostileBodies } from "@vigil/otel/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { createMember, createOrgWithProject, FIXTURE_PASSWORD } from "../testing/fixtures.ts";
import { getPage, signIn } from "../testing/session.ts";
import { startTestVigil, stopStartedVigils, type VigilProcess } from "../testing/vigil-process.ts";

// Input a careless or hostile client sends is its own mistake: a 4xx that names the problem,
// never a 5xx (which tells clients to retry) and never a stack trace in the log.

const database = setupTestDatabase();
let vigil: VigilProcess & { base: string };
let base: string;
const keys = { ingest: "", read: "", admin: "" };
let cookie = "";
let projectId = "";

beforeAll(async () => {
  const project = await createOrgWithProject();
  projectId = project.projectId;
  for (const scope of ["ingest", "read", "admin"] as const)
    keys[scope] = (await createApiKey({ projectId, name: scope, scope })).secret;
  const member = await createMember(project.organizationId, "admin");
  vigil = await startTestVigil(database.url(), process.env.PATH ?? "");
  base = vigil.base;
  cookie = await signIn(base, member.email, FIXTURE_PASSWORD);
}, 120_000);
afterAll(stopStartedVigils);

type Case = {
  what: string;
  request: () => Promise<Response>;
  status: number;
  says: RegExp;
};

const read = (path: string) =>
  fetch(`${base}${path}`, { headers: { authorization: `Bearer ${keys.read}` } });
const consul = (method: string, path: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method,
    headers: { "x-consul-token": keys.ingest },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const cases: Case[] = [
  {
    what: "a NUL in a read route's service filter",
    request: () => read("/api/v1/traces?service=a%00b"),
    status: 400,
    says: /service.*NUL/,
  },
  {
    what: "a NUL in the logs route's query",
    request: () => read("/api/v1/logs?q=a%00b"),
    status: 400,
    says: /q.*NUL/,
  },
  {
    what: "a limit that is not a number on traces",
    request: () => read("/api/v1/traces?limit=abc"),
    status: 400,
    says: /limit must be a whole number/,
  },
  {
    what: "a limit that is not a number on alert history",
    request: () => read("/api/v1/alerts/history?limit=abc"),
    status: 400,
    says: /limit must be a whole number/,
  },
  {
    what: "a limit that is not a number on logs",
    request: () => read("/api/v1/logs?limit=abc"),
    status: 400,
    says: /limit/,
  },
  {
    what: "a receiver id that is not a uuid",
    request: () =>
      fetch(`${base}/api/v1/alerts/receivers/not-a-uuid/test`, {
        method: "POST",
        headers: { authorization: `Bearer ${keys.admin}` },
      }),
    status: 404,
    says: /No such receiver/,
  },
  {
    what: "an OTLP/JSON AnyValue nested 3,000 deep",
    request: () =>
      fetch(`${base}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${keys.ingest}` },
        body: hostileBodies().find((body) => body.what === "an AnyValue 3,000 deep")?.body,
      }),
    status: 400,
    says: /more than 16 deep/,
  },
  {
    what: "a TTL of 1000000h",
    request: () =>
      consul("PUT", "/v1/agent/service/register", {
        Name: "api",
        Check: { TTL: "1000000h" },
      }),
    status: 400,
    says: /TTL must be between 1s and 24h, not 1000000h/,
  },
  {
    what: "a malformed %-escape in a registry path",
    request: () => consul("GET", "/v1/health/service/%E0%A4%A"),
    status: 400,
    says: /malformed %-escape/,
  },
  {
    what: "a NUL in a registry path",
    request: () => consul("GET", "/v1/health/service/a%00b"),
    status: 400,
    says: /NUL/,
  },
  {
    what: "a 10,000-character service name in a registration",
    request: () =>
      consul("PUT", "/v1/agent/service/register", {
        Name: "x".repeat(10_000),
        Check: { TTL: "10s" },
      }),
    status: 400,
    says: /Name must be at most 255 characters/,
  },
  {
    what: "a page under a project id that is not a uuid",
    request: () =>
      fetch(`${base}/projects/not-a-uuid/traces`, { headers: { cookie }, redirect: "manual" }),
    status: 404,
    says: /could not be found/,
  },
];

describe("bad input", () => {
  it.each(cases)(
    "$what: answered $status naming the problem",
    async ({ request, status, says }) => {
      const response = await request();
      expect(response.status).toBe(status);
      expect(await response.text()).toMatch(says);
    },
  );

  it("leaves no stack trace and no error in the log", async () => {
    // Every case once more, then the log of the whole file is read.
    for (const { request } of cases) await (await request()).text();
    expect((await getPage(base, `/projects/${projectId}`, cookie)).status).toBe(200);
    const logged = vigil.lines.filter((line) => line.trim() !== "");
    expect(logged.filter((line) => /"stack"|^\s+at /.test(line))).toEqual([]);
    expect(logged.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });
});
