import { readdirSync, readFileSync } from "node:fs";
import pg from "pg";

// CPU time of servers on this machine, each with its child processes (a PostgreSQL server's
// backends are children of its postmaster), read from /proc: what each server did in a phase.

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

type Stat = { ppid: number; ticks: number };

function stats(): Map<number, Stat> {
  const all = new Map<number, Stat>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command (which may hold spaces) start at its closing parenthesis.
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      // utime, stime, and those of waited-for children (cutime, cstime).
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      all.set(Number(entry), { ppid, ticks });
    } catch {
      // The process ended while we read.
    }
  }
  return all;
}

/** CPU seconds used so far by each named process tree. */
export function cpuSeconds(roots: Record<string, number>): Record<string, number> {
  const all = stats();
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of all) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree = (pid: number): number =>
    (all.get(pid)?.ticks ?? 0) + (children.get(pid) ?? []).reduce((sum, c) => sum + tree(c), 0);
  return Object.fromEntries(
    Object.entries(roots).map(([name, pid]) => [name, tree(pid) / TICKS_PER_SECOND]),
  );
}

/** The difference of two readings, per tree. */
export function cpuBetween(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([name, seconds]) => [name, seconds - (before[name] ?? 0)]),
  );
}

/** The postmaster's pid of the PostgreSQL server that `url` reaches (from its data directory). */
export async function postmasterPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const dir = (await client.query("SELECT current_setting('data_directory') AS d")).rows[0].d;
    return Number(readFileSync(`${dir}/postmaster.pid`, "utf8").split("\n")[0]);
  } finally {
    await client.end();
  }
}

/** The pids of this process's descendants running `command` (haproxy, redis-server). */
export function childrenNamed(command: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== command) continue;
      const status = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(status.slice(status.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}
