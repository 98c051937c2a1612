import { randomBytes } from "node:crypto";
import type { ServiceRef } from "../telemetry/write/services.ts";
import type { SpanRow } from "../telemetry/write/span-rows.ts";

/** A span row of a service with fresh ids and neutral defaults; `overrides` sets the rest. */
export function spanOf(projectId: string, ref: ServiceRef, overrides: Partial<SpanRow>): SpanRow {
  return {
    projectId,
    startNs: 0n,
    traceId: randomBytes(16).toString("hex"),
    spanId: randomBytes(8).toString("hex"),
    parentSpanId: "",
    ...ref,
    name: "",
    kind: 1,
    durationNs: 1n,
    statusCode: 0,
    statusMessage: "",
    traceState: "",
    flags: 0,
    scopeName: "",
    scopeVersion: "",
    attributes: {},
    events: null,
    links: null,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...overrides,
  };
}

/** What a service's resource says about it, as ingestion resolves it: `name`, instance `name`-1. */
export const serviceIdentity = (name: string) => ({
  name,
  environment: "",
  instance: `${name}-1`,
  version: "",
  host: "",
  attributes: { "service.name": name },
});
