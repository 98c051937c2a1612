/** The queue is full: the caller should answer 503 with Retry-After rather than grow memory. */
export class Overloaded extends Error {
  override name = "Overloaded";
}

type Pending<T> = { rows: T[]; resolve: () => void; reject: (error: unknown) => void };

export type GroupCommitOptions<T> = {
  /** Stores one batch; resolves once it is durable (committed). */
  write(rows: T[]): Promise<unknown>;
  /** Rows waiting or being written, at most; beyond that enqueue throws Overloaded. */
  maxQueuedRows: number;
  /** Rows per write, at most (a single larger request is still written whole). */
  maxBatchRows: number;
  /** Writes in flight at once. */
  concurrency: number;
  onFlush?(rows: number, ms: number, error?: unknown): void;
};

/**
 * Group commit: requests that arrive while writes are in flight are written together in the
 * next one, and each request's promise settles only when the write holding its rows committed
 * (or failed). Memory is bounded by maxQueuedRows.
 */
export class GroupCommitQueue<T> {
  readonly #options: GroupCommitOptions<T>;
  #pending: Pending<T>[] = [];
  #queuedRows = 0;
  #active = 0;
  #idle: (() => void)[] = [];

  constructor(options: GroupCommitOptions<T>) {
    this.#options = options;
  }

  /** Rows waiting or being written. */
  get depth(): number {
    return this.#queuedRows;
  }

  enqueue(rows: T[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    if (this.#queuedRows > 0 && this.#queuedRows + rows.length > this.#options.maxQueuedRows) {
      throw new Overloaded(`ingest queue full (${this.#queuedRows} rows waiting)`);
    }
    this.#queuedRows += rows.length;
    const done = new Promise<void>((resolve, reject) =>
      this.#pending.push({ rows, resolve, reject }),
    );
    this.#pump();
    return done;
  }

  /** Resolves once nothing is waiting or being written. */
  drained(): Promise<void> {
    if (this.#queuedRows === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#active < this.#options.concurrency && this.#pending.length > 0) {
      const batch: Pending<T>[] = [];
      let count = 0;
      while (this.#pending.length > 0) {
        const next = this.#pending[0];
        if (!next || (count > 0 && count + next.rows.length > this.#options.maxBatchRows)) break;
        batch.push(next);
        count += next.rows.length;
        this.#pending.shift();
      }
      this.#active += 1;
      const started = performance.now();
      const rows =
        batch.length === 1 ? (batch[0]?.rows ?? []) : batch.flatMap((request) => request.rows);
      const settle = (error?: unknown) => {
        // Capacity is freed before anyone is answered: an acknowledged client may send again.
        this.#active -= 1;
        this.#queuedRows -= count;
        this.#options.onFlush?.(count, performance.now() - started, error);
        for (const request of batch) {
          if (error === undefined) request.resolve();
          else request.reject(error);
        }
        if (this.#queuedRows === 0) for (const resolve of this.#idle.splice(0)) resolve();
        this.#pump();
      };
      this.#options.write(rows).then(
        () => settle(),
        (error: unknown) => settle(error ?? new Error("write failed")),
      );
    }
  }
}
