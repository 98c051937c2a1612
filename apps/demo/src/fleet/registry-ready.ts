import { Discovery } from "../platform/discovery.ts";

// Traffic starts once the registry shows every instance passing: instances start in parallel
// and each listens only once its own pools are open, so the first shoppers meet warm services
// that every caller's discovery already knows.

/**
 * Resolves true once discovery answers `count` passing instances for every service, or false
 * after `timeoutMs` (the fleet then starts its traffic anyway; callers wait for late instances).
 */
export async function everyInstancePassing(options: {
  endpoint: string;
  token: string;
  services: readonly string[];
  count: number;
  timeoutMs: number;
}): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  const ready = await Promise.all(
    options.services.map(async (service) => {
      // Short blocking reads, so the deadline holds whatever the registry does.
      const { endpoint, token } = options;
      const discovery = new Discovery({ endpoint, token, service, waitSeconds: 2 });
      let block = false;
      while (Date.now() < deadline) {
        const instances = await discovery.refresh(block).catch(() => []);
        if (instances.length >= options.count) return true;
        block = true;
      }
      return false;
    }),
  );
  return ready.every(Boolean);
}
