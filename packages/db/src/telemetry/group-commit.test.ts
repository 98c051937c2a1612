import { describe, expect, it } from "vitest";
import { GroupCommitQueue, Overloaded } from "./group-commit.ts";

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
});
