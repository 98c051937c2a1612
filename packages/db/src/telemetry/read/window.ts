/** A time window of a query, Unix nanoseconds, [fromNs, toNs). */
export type Window = { fromNs: bigint; toNs: bigint };
