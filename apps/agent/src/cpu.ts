/**
 * Returns a reader of the process's CPU use since the previous reading, as cores used: 1 is
 * one core busy all the time (null for a reading with no time elapsed).
 */
export function cpuSince(): () => number | null {
  let last = { cpu: process.cpuUsage(), at: performance.now() };
  return () => {
    const now = performance.now();
    const used = process.cpuUsage(last.cpu);
    const elapsedUs = (now - last.at) * 1000;
    last = { cpu: process.cpuUsage(), at: now };
    return elapsedUs > 0 ? (used.user + used.system) / elapsedUs : null;
  };
}
