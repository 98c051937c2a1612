import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { env } from "../env.ts";

// Paths that may carry credentials; pino replaces their values before anything is written.
const redact = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "key",
  "*.key",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-consul-token"]',
];

function createLogger(): Logger {
  const { LOG_LEVEL, LOG_FORMAT, NODE_ENV } = env();
  const format = LOG_FORMAT ?? (process.stdout.isTTY && NODE_ENV !== "test" ? "pretty" : "json");
  const options = { level: LOG_LEVEL, redact, base: { service: "vigil" } };
  // pretty printing as an in-process stream: no worker thread, so it also works inside Next.
  return format === "pretty"
    ? pino(options, pretty({ colorize: true, ignore: "pid,hostname,service", sync: true }))
    : pino(options);
}

const slot = Symbol.for("vigil.logger");
type Slot = { [slot]?: Logger };

/** The process's one logger (shared by the server entry and the Next.js bundle). */
export function logger(): Logger {
  const holder = globalThis as Slot;
  holder[slot] ??= createLogger();
  return holder[slot];
}
