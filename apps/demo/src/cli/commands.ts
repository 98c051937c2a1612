// The CLI's words, turned into a request to the fleet's switches.

export const USAGE = `usage: npm run demo -- <command>
  status                         what is switched on
  pause-replica | resume-replica the products replica's WAL replay
  flush-cache                    empty the users profile cache
  hot-tenant on|off              tenant acme's flash sale, pinned to shard orders-a
  slow <service> | slow off      0.4–3 s on every request of a service (default products)
  kill [instance] | revive       SIGKILL an instance (default users-2), or start it again
  strategy round-robin|least-connections   the gateway's load balancing`;

export type CliCommand = { path: string; body?: Record<string, unknown> } | { problem: string };

const onOff = (word: string | undefined): boolean | null =>
  word === "on" ? true : word === "off" ? false : null;

export function commandFor(args: string[]): CliCommand {
  const [verb, argument] = args;
  const incident = (name: string, body: Record<string, unknown>) => ({
    path: `/incidents/${name}`,
    body,
  });
  switch (verb) {
    case "status":
      return { path: "/status" };
    case "pause-replica":
      return incident("replica-paused", { on: true });
    case "resume-replica":
      return incident("replica-paused", { on: false });
    case "flush-cache":
      return incident("cache-flush", {});
    case "hot-tenant": {
      const on = onOff(argument);
      return on === null
        ? { problem: "hot-tenant needs on or off" }
        : incident("hot-tenant", { on });
    }
    case "slow":
      return argument === "off"
        ? incident("slow-service", { on: false })
        : incident("slow-service", { on: true, service: argument ?? "products" });
    case "kill":
      return incident("kill-instance", { on: true, instance: argument ?? "users-2" });
    case "revive":
      return incident("kill-instance", { on: false });
    case "strategy":
      return argument === "round-robin" || argument === "least-connections"
        ? incident("strategy", { value: argument })
        : { problem: "strategy needs round-robin or least-connections" };
    default:
      return { problem: verb ? `unknown command ${verb}` : "a command is needed" };
  }
}
