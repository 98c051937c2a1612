import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember, createOrgWithProject, FIXTURE_PASSWORD } from "../testing/fixtures.ts";
import { getPage, signIn } from "../testing/session.ts";
import { startTestVigil, stopStartedVigils } from "../testing/vigil-process.ts";

// The headers a browser relies on, on the built app, and the origin check on changes.

const database = setupTestDatabase();
let base: string;
let cookie: string;
let projectId: string;

beforeAll(async () => {
  const project = await createOrgWithProject();
  projectId = project.projectId;
  const member = await createMember(project.organizationId, "admin");
  base = (await startTestVigil(database.url(), process.env.PATH ?? "")).base;
  cookie = await signIn(base, member.email, FIXTURE_PASSWORD);
}, 120_000);
afterAll(stopStartedVigils);

const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];

describe("pages", () => {
  it("carry a CSP with a fresh nonce that the page's own scripts carry, and frame and sniffing protection", async () => {
    const first = await getPage(base, `/projects/${projectId}/settings`, cookie);
    const second = await getPage(base, `/projects/${projectId}/settings`, cookie);
    expect(first.status).toBe(200);
    const csp = first.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    const nonce = nonceOf(csp);
    expect(nonce).not.toBe(nonceOf(second.headers.get("content-security-policy")));
    // Every script element of the page carries this response's nonce.
    const scripts = [...first.body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("the sign-in page and the 404 page carry them too", async () => {
    for (const path of ["/sign-in", "/no-such-page"]) {
      const page = await getPage(base, path, "");
      expect(nonceOf(page.headers.get("content-security-policy")), path).toBeDefined();
      expect(page.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });
});

describe("a state-changing request with the session cookie", () => {
  const createDashboard = (origin: string | undefined) =>
    fetch(`${base}/api/trpc/dashboards.create`, {
      method: "POST",
      headers: {
        cookie,
        "content-type": "application/json",
        ...(origin ? { origin } : {}),
      },
      body: JSON.stringify({ json: { projectId, name: "from somewhere" } }),
    });

  it("is refused from another origin, saying why", async () => {
    const response = await createDashboard("https://evil.example");
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("requests from https://evil.example may not change");
  });

  it("is refused when the browser says it is cross-site, with no Origin", async () => {
    const response = await fetch(`${base}/api/trpc/dashboards.create`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", "sec-fetch-site": "cross-site" },
      body: JSON.stringify({ json: { projectId, name: "x" } }),
    });
    expect(response.status).toBe(403);
  });

  it("goes through from Vigil's own origin", async () => {
    const response = await createDashboard(base);
    expect(response.status).toBe(200);
  });
});

describe("sessions", () => {
  it("cannot be listed: that answer would hold every session's raw token", async () => {
    const response = await fetch(`${base}/api/auth/list-sessions`, { headers: { cookie } });
    expect(response.status).toBe(404);
    const token = decodeURIComponent(/session_token=([^;.]+)/.exec(cookie)?.[1] ?? "");
    expect(token).not.toBe("");
    expect(await response.text()).not.toContain(token);
  });
});

describe("API and ingest responses", () => {
  it("say nosniff, and need no CSP", async () => {
    const response = await fetch(`${base}/v1/traces`, { method: "POST" });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
