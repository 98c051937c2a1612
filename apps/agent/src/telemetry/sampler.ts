import type { Attributes, Context, Link, SpanKind } from "@opentelemetry/api";
import { type Sampler, SamplingDecision, type SamplingResult } from "@opentelemetry/sdk-trace";

/**
 * Samples new traces up to a rate (a token bucket: `perSecond` a second, bursts of as many),
 * the rest not at all. Every trace is kept while a service is quiet; under heavy load the cost
 * of recording and exporting spans stays flat, while RED metrics still count every request.
 * Use it as the root sampler under a parent-based one, so a trace keeps its caller's decision.
 */
export class RateLimitedSampler implements Sampler {
  readonly #perSecond: number;
  #tokens: number;
  #refilledAt = performance.now();

  constructor(perSecond: number) {
    this.#perSecond = perSecond;
    this.#tokens = perSecond;
  }

  shouldSample(
    _context: Context,
    _traceId: string,
    _name: string,
    _kind: SpanKind,
    _attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    const now = performance.now();
    this.#tokens = Math.min(
      this.#perSecond,
      this.#tokens + ((now - this.#refilledAt) / 1000) * this.#perSecond,
    );
    this.#refilledAt = now;
    if (this.#tokens < 1) return { decision: SamplingDecision.NOT_RECORD };
    this.#tokens -= 1;
    return { decision: SamplingDecision.RECORD_AND_SAMPLED };
  }

  toString(): string {
    return `RateLimitedSampler{${this.#perSecond}/s}`;
  }
}
