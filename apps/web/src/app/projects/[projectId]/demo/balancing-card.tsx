import { Card } from "@/components/ui/card.tsx";
import { Select } from "@/components/ui/field.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import type { FleetStatus } from "@/demo/fleet-client.ts";

/** How the gateway spreads requests: the strategy, and what each instance was sent. */
export function BalancingCard({
  fleet,
  busy,
  onStrategy,
}: {
  fleet: FleetStatus;
  busy: boolean;
  onStrategy: (value: "round-robin" | "least-connections") => void;
}) {
  const upstreams = fleet.gateway?.upstreams ?? {};
  return (
    <Card
      title="Load balancing"
      description={`What ${fleet.gateway?.instance ?? "the gateway"} sent to each instance, found through discovery (?passing): an instance that is not passing gets nothing.`}
      actions={
        <div className="flex items-center gap-2 text-sm">
          <span className="text-zinc-500">Strategy</span>
          <Select
            aria-label="Strategy"
            value={fleet.incidents.strategy}
            disabled={busy}
            onChange={(event) =>
              onStrategy(event.target.value as "round-robin" | "least-connections")
            }
            className="w-44"
          >
            <option value="round-robin">round-robin</option>
            <option value="least-connections">least-connections</option>
          </Select>
        </div>
      }
    >
      <DataTable columns={["Service", "Instance", "In rotation", "Requests sent"]}>
        {Object.entries(upstreams).flatMap(([service, view]) =>
          fleet.instances
            .filter((instance) => instance.service === service)
            .map((instance) => (
              <tr key={instance.id} data-testid={`balance-${instance.id}`}>
                <td className="py-1.5 pr-4">{service}</td>
                <td className="py-1.5 pr-4 font-mono text-xs">{instance.id}</td>
                <td className="py-1.5 pr-4">
                  {view.instances.includes(instance.id)
                    ? "yes"
                    : instance.running
                      ? "not yet"
                      : "no (down)"}
                </td>
                <td className="py-1.5 pr-4 tabular-nums">{view.sent[instance.id] ?? 0}</td>
              </tr>
            )),
        )}
      </DataTable>
    </Card>
  );
}
