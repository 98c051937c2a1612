import { setRuntime } from "../server/runtime.ts";

/** The secret tests seal receivers' secrets under (and give a spawned control plane). */
export const TEST_AUTH_SECRET = "test-auth-secret-0123456789abcdefghijkl";

/** What alerting needs from the process runtime outside main.ts: a base URL and the sealing key. */
export function setTestRuntime(baseUrl = "http://vigil.test"): void {
  setRuntime({ baseUrl, trustedOrigins: [baseUrl], authSecret: TEST_AUTH_SECRET });
}
