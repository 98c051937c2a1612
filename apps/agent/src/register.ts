// `node --import @vigil/agent/register app.js`: starts the agent from VIGIL_ENDPOINT, VIGIL_KEY,
// OTEL_SERVICE_NAME and the usual OTEL_* variables, and flushes and deregisters on SIGTERM.
import { register } from "node:module";
import { optionsFromEnv } from "./env.ts";
import { startVigil } from "./index.ts";

try {
  // Lets the instrumentations patch libraries the service loads as ES modules too.
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url);
} catch {
  // Without the hook, CommonJS libraries are still instrumented.
}
startVigil(optionsFromEnv());
