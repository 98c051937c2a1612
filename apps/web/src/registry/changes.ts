import { db } from "@vigil/db";
import { notifyRegistryChange } from "@vigil/db/registry";

// Blocking reads: a reader waits until its project's registry index moves past the one it saw.
// Waiters live in each process; a change is announced here and, through PostgreSQL NOTIFY, to
// every other replica, whose listener announces it to its own waiters.

type Waiter = { after: bigint; wake: (changed: boolean) => void };

const slot = Symbol.for("vigil.registryWaiters");
type Slot = { [slot]?: Map<string, Set<Waiter>> };
(globalThis as Slot)[slot] ??= new Map<string, Set<Waiter>>();
const waiters = (globalThis as Slot)[slot] as Map<string, Set<Waiter>>;

/** Resolves true when the project's index passes `after`, false when `timeoutMs` elapsed first. */
export function waitForChange(
  projectId: string,
  after: bigint,
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    const set = waiters.get(projectId) ?? new Set<Waiter>();
    waiters.set(projectId, set);
    const waiter: Waiter = {
      after,
      wake: (changed) => {
        clearTimeout(timer);
        set.delete(waiter);
        resolve(changed);
      },
    };
    const timer = setTimeout(() => waiter.wake(false), timeoutMs);
    set.add(waiter);
  });
}

/** Wakes the project's readers that wait for an index below `index`. */
export function announceChange(projectId: string, index: bigint): void {
  for (const waiter of [...(waiters.get(projectId) ?? [])])
    if (index > waiter.after) waiter.wake(true);
}

/** After a registry change commits: wakes this process's readers and tells the other replicas. */
export function publishChange(projectId: string, index: bigint): void {
  announceChange(projectId, index);
  notifyRegistryChange(db().pool, projectId, index).catch(() => {
    // Other replicas then hear of it at their readers' timeouts; nothing is lost.
  });
}

type Prisma = ReturnType<typeof db>["prisma"];
export type RegistryTx = Parameters<Parameters<Prisma["$transaction"]>[0]>[0];

/**
 * The one way to change the registry: `fn` runs in a transaction that moves the project's change
 * counter (its X-Consul-Index) and receives the new index; after the commit, blocking readers here
 * and on other replicas are woken.
 */
export async function registryChange<T>(
  projectId: string,
  fn: (tx: RegistryTx, index: bigint) => Promise<T>,
): Promise<T> {
  let index = 0n;
  const result = await db().prisma.$transaction(async (tx) => {
    const counter = await tx.registryIndex.upsert({
      where: { projectId },
      update: { value: { increment: 1 } },
      create: { projectId, value: 1n },
    });
    index = counter.value;
    return fn(tx, index);
  });
  publishChange(projectId, index);
  return result;
}
