import { test as base, expect } from "@playwright/test";

/**
 * Playwright's test, failing any test whose pages report a Content-Security-Policy violation:
 * every page the suite opens is also a check that the app works under its own CSP.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.exposeFunction("reportCspViolation", (text: string) => violations.push(text));
      await page.addInitScript(() =>
        document.addEventListener("securitypolicyviolation", (event) =>
          (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(
            `Content-Security-Policy violation: ${event.violatedDirective} blocked ${event.blockedURI}`,
          ),
        ),
      );
      await use(violations);
      expect(violations, "the browser reported CSP violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
