import { isRowRefused } from "../../errors.ts";

/** The queue is full: the caller should answer 503 with Retry-After rather than grow memory. */
export class Overloaded extends Error {
  override name = "Overloaded";
}

/**
 * The database refused a row of this request (a value out of a column's range, an index entry
 * too large): retrying cannot help, so the client is told what was wrong (400), never 503.
 */
export class RowsRefused extends Error {
  override name = "RowsRefused";
  constructor(cause: unknown) {
    super(`the database refused an item of this request: ${(cause as Error).message}`, { cause });
  }
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
      void this.#writeBatch(batch).then(({ error, outcomes }) => {
        // Capacity is freed before anyone is answered: an acknowledged client may send again.
        this.#active -= 1;
        this.#queuedRows -= count;
        this.#options.onFlush?.(count, performance.now() - started, error);
        for (const [request, failure] of outcomes) {
          if (failure === undefined) request.resolve();
          else request.reject(failure);
        }
        if (this.#queuedRows === 0) for (const resolve of this.#idle.splice(0)) resolve();
        this.#pump();
      });
    }
  }

  /**
   * Writes a batch: the batch's error, if any, and each request's outcome. When the database
   * refused a row (not when it is unreachable), each request is written again on its own, so
   * only the one that holds the row fails: one tenant's bad data never fails another's request.
   */
  async #writeBatch(
    batch: Pending<T>[],
  ): Promise<{ error: unknown; outcomes: [Pending<T>, unknown][] }> {
    const rows =
      batch.length === 1 ? (batch[0]?.rows ?? []) : batch.flatMap((request) => request.rows);
    const error = await this.#options.write(rows).then(
      () => undefined,
      (failure: unknown) => failure ?? new Error("write failed"),
    );
    if (error === undefined) return { error, outcomes: batch.map((request) => [request, error]) };
    if (batch.length > 1 && isRowRefused(error)) {
      const outcomes: [Pending<T>, unknown][] = [];
      for (const request of batch) outcomes.push(...(await this.#writeBatch([request])).outcomes);
      return { error, outcomes };
    }
    const refused = isRowRefused(error) ? new RowsRefused(error) : error;
    return { error, outcomes: batch.map((request) => [request, refused]) };
  }
}
