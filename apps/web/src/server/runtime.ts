// Facts the server entry resolves at start (the database it chose, the signing secret) that the
// Next.js bundle, loaded into the same process as separate module instances, needs too.

export type Runtime = {
  /** The public URL operators open; better-auth checks request origins against it. */
  baseUrl: string;
  /** Other origins that reach the same server (localhost and 127.0.0.1 on the port). */
  trustedOrigins: string[];
  authSecret: string;
};

const slot = Symbol.for("vigil.runtime");
type Slot = { [slot]?: Runtime };

export function setRuntime(value: Runtime): void {
  (globalThis as Slot)[slot] = value;
}

export function runtime(): Runtime {
  const value = (globalThis as Slot)[slot];
  if (!value)
    throw new Error(
      "The control plane runtime is not set (start Vigil through src/server/main.ts)",
    );
  return value;
}

/** The demo fleet this process started: its project and where its switches are served. */
export type DemoFleet = { projectId: string; controlUrl: string };

const demoSlot = Symbol.for("vigil.demo-fleet");
type DemoSlot = { [demoSlot]?: DemoFleet | null };

export function setDemoFleet(value: DemoFleet | null): void {
  (globalThis as DemoSlot)[demoSlot] = value;
}

/** The running demo fleet, or null when this process runs none. */
export function demoFleet(): DemoFleet | null {
  return (globalThis as DemoSlot)[demoSlot] ?? null;
}
