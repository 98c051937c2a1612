import { env } from "../env.ts";
import type { OutboundPolicy } from "./outbound.ts";

/**
 * Whether user-supplied URLs (HTTP checks, webhooks) may reach internal addresses:
 * VIGIL_ALLOW_INTERNAL_TARGETS, else allowed only in local mode (the embedded database).
 */
export function outboundPolicy(): OutboundPolicy {
  const config = env();
  return { allowInternal: config.VIGIL_ALLOW_INTERNAL_TARGETS ?? !config.DATABASE_URL };
}
