import { LeaderLock } from "@vigil/db";
import type { Logger } from "pino";

export type Job = {
  name: string;
  /** Milliseconds between the end of one run and the start of the next. */
  everyMs: number;
  run(signal: AbortSignal): Promise<void>;
};

export type Scheduler = { stop(): Promise<void>; isLeader(): boolean };

/**
 * The one way Vigil runs background work: every replica runs this loop, only the holder of the
 * cluster-wide leader lock runs the jobs. A replica that dies releases the lock with its
 * connection; another takes over at its next attempt (every `retryMs`).
 */
export function startScheduler(options: {
  connectionString: string;
  jobs: Job[];
  log: Logger;
  retryMs?: number;
}): Scheduler {
  const { jobs, log } = options;
  const lock = new LeaderLock("jobs", options.connectionString);
  const controller = new AbortController();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let leader = false;

  const runJob = (job: Job) => {
    timers.delete(job.name);
    if (!leader || controller.signal.aborted) return;
    const started = performance.now();
    const run = job
      .run(controller.signal)
      .then(() =>
        log.debug({ job: job.name, ms: Math.round(performance.now() - started) }, "job done"),
      )
      .catch((error: unknown) => log.error({ job: job.name, err: error }, "job failed"))
      .finally(() => {
        running.delete(run);
        schedule(job);
      });
    running.add(run);
  };
  const schedule = (job: Job) => {
    if (!leader || controller.signal.aborted || timers.has(job.name)) return;
    timers.set(
      job.name,
      setTimeout(() => runJob(job), job.everyMs),
    );
  };
  const becomeFollower = () => {
    leader = false;
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };

  const campaign = async () => {
    if (controller.signal.aborted) return;
    try {
      const won = await lock.tryAcquire((error) => {
        log.warn({ err: error }, "lost the leader lock; background jobs paused");
        becomeFollower();
      });
      if (won && !leader) {
        leader = true;
        log.info({ jobs: jobs.map((job) => job.name) }, "this replica leads background jobs");
        for (const job of jobs) runJob(job);
      }
    } catch (error) {
      log.warn({ err: error }, "could not reach the database to take the leader lock");
      becomeFollower();
    }
  };
  // The attempt in flight: stop() waits for it, or it could take the lock after stop released it.
  let attempt: Promise<void> = campaign();
  const campaignTimer = setInterval(() => {
    attempt = attempt.then(campaign);
  }, options.retryMs ?? 10_000);

  return {
    isLeader: () => leader,
    async stop() {
      controller.abort();
      clearInterval(campaignTimer);
      await attempt;
      becomeFollower();
      await Promise.allSettled([...running]);
      await lock.release();
    },
  };
}
