import { expect } from "vitest";

/** Signs in over HTTP as a browser would; returns the session cookie to send with requests. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status, `sign-in as ${email}`).toBe(200);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

/** A page as the browser holding the cookie sees it, redirects not followed. */
export async function getPage(
  base: string,
  path: string,
  cookie: string,
): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(`${base}${path}`, {
    headers: cookie ? { cookie } : {},
    redirect: "manual",
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}
