import { describe, expect, it } from "vitest";
import { GroupCommitQueue, Overloaded, RowsRefused } from "./group-commit.ts";

function deferred() {
  let resolve: () => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("GroupCommitQueue", () => {
  it("writes requests that arrive during a write together, and settles each after its write", async () => {
    const writes: number[][] = [];
    const gates: ReturnType<typeof deferred>[] = [];
    const queue = new GroupCommitQueue<number>({
      write: (rows) => {
        writes.push(rows);
        const gate = deferred();
        gates.push(gate);
        return gate.promise;
      },
      maxQueuedRows: 100,
      maxBatchRows: 50,
      concurrency: 1,
    });
    const settled: string[] = [];
    const first = queue.enqueue([1]).then(() => settled.push("first"));
    const second = queue.enqueue([2, 3]).then(() => settled.push("second"));
    const third = queue.enqueue([4]).then(() => settled.push("third"));
    expect(writes).toEqual([[1]]);
    expect(queue.depth).toBe(4);

    gates[0]?.resolve();
    await first;
    expect(writes).toEqual([[1], [2, 3, 4]]);
    expect(settled).toEqual(["first"]);
    gates[1]?.resolve();
    await Promise.all([second, third]);
    expect(settled).toEqual(["first", "second", "third"]);
    expect(queue.depth).toBe(0);
  });

  it("refuses new rows when full instead of growing, and recovers as writes finish", async () => {
    const gate = deferred();
    const queue = new GroupCommitQueue<number>({
      write: () => gate.promise,
      maxQueuedRows: 3,
      maxBatchRows: 10,
      concurrency: 1,
    });
    const accepted = queue.enqueue([1, 2]);
    expect(() => queue.enqueue([3, 4])).toThrow(Overloaded);
    gate.resolve();
    await accepted;
    await expect(queue.enqueue([3, 4])).resolves.toBeUndefined();
  });

  it("fails every request of a failed write, and nothing else", async () => {
    let call = 0;
    const queue = new GroupCommitQueue<number>({
      write: async () => {
        call += 1;
        if (call === 1) throw new Error("database down");
      },
      maxQueuedRows: 10,
      maxBatchRows: 10,
      concurrency: 1,
    });
    const failed = queue.enqueue([1]);
    await expect(failed).rejects.toThrow("database down");
    await expect(queue.enqueue([2])).resolves.toBeUndefined();
    await queue.drained();
  });

  it("writes each request of a batch on its own when the database refused a row, failing only the one holding it", async () => {
    const writes: number[][] = [];
    const gate = deferred();
    const queue = new GroupCommitQueue<number>({
      write: async (rows) => {
        writes.push(rows);
        if (rows.length === 1 && rows[0] === 0) await gate.promise;
        // PostgreSQL's "bigint out of range" for the poisoned row, whoever else is in the batch.
        if (rows.includes(-1))
          throw Object.assign(new Error("bigint out of range"), { code: "22003" });
      },
      maxQueuedRows: 100,
      maxBatchRows: 50,
      concurrency: 1,
    });
    const first = queue.enqueue([0]);
    const good = queue.enqueue([1, 2]);
    const poisoned = queue.enqueue([3, -1]);
    const alsoGood = queue.enqueue([4]);
    gate.resolve();
    await first;
    await expect(good).resolves.toBeUndefined();
    await expect(alsoGood).resolves.toBeUndefined();
    const refused = await poisoned.catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RowsRefused);
    expect((refused as Error).message).toContain("bigint out of range");
    expect(writes).toEqual([[0], [1, 2, 3, -1, 4], [1, 2], [3, -1], [4]]);
    expect(queue.depth).toBe(0);
  });

  it("fails the whole batch at once, as retryable, when the database is unreachable", async () => {
    let calls = 0;
    const gate = deferred();
    const queue = new GroupCommitQueue<number>({
      write: async () => {
        calls += 1;
        if (calls === 1) return gate.promise;
        throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      },
      maxQueuedRows: 100,
      maxBatchRows: 50,
      concurrency: 1,
    });
    const first = queue.enqueue([0]);
    const a = queue.enqueue([1]).catch((error: unknown) => error);
    const b = queue.enqueue([2]).catch((error: unknown) => error);
    gate.resolve();
    await first;
    for (const error of [await a, await b]) {
      expect(error).not.toBeInstanceOf(RowsRefused);
      expect((error as Error).message).toContain("ECONNREFUSED");
    }
    expect(calls).toBe(2);
  });
});
