import { db } from "@vigil/db";
import { NS_PER_DAY, resolveService, type ServiceRef } from "@vigil/db/telemetry";
import { type Decoded, identityProblem, type Resource, serviceIdentity } from "@vigil/otel";

/** How far from now an item's time may be and still be stored (older is past any retention). */
const MAX_AGE_NS = 30n * NS_PER_DAY;
const MAX_FUTURE_NS = 2n * NS_PER_DAY;

export type IngestResult = { accepted: number; rejected: number; message: string };

/**
 * What the three signals share when they admit a decoded request's items: the refusals so far
 * (OTLP partial success, the first few reasons kept), the storable time window, and the service
 * each resource resolves to.
 */
export class Admission {
  #rejected: number;
  readonly #messages: string[];
  readonly #oldestNs: bigint;
  readonly #latestNs: bigint;

  constructor(request: Decoded<unknown>, nowNs: bigint) {
    this.#rejected = request.rejected.count;
    this.#messages = [...request.rejected.messages];
    this.#oldestNs = nowNs - MAX_AGE_NS;
    this.#latestNs = nowNs + MAX_FUTURE_NS;
  }

  refuse(count: number, message: string): void {
    this.#rejected += count;
    if (this.#messages.length < 5) this.#messages.push(message);
  }

  /** Whether a time can be stored; refuses the item (named by `what`) when it cannot. */
  inWindow(timeNs: bigint, what: string): boolean {
    if (timeNs >= this.#oldestNs && timeNs <= this.#latestNs) return true;
    this.refuse(1, `${what} is more than 30 days old or 2 days ahead`);
    return false;
  }

  /** The resource's service and instance, or null (its `items` refused) when they cannot be stored. */
  async service(projectId: string, resource: Resource, items: number): Promise<ServiceRef | null> {
    const identity = serviceIdentity(resource.attributes);
    const problem = identityProblem(identity);
    if (problem) {
      this.refuse(items, problem);
      return null;
    }
    return resolveService(db().pool, projectId, identity);
  }

  result(accepted: number): IngestResult {
    return { accepted, rejected: this.#rejected, message: this.#messages.join("; ") };
  }
}
