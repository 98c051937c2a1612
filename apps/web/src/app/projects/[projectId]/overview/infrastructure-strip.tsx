import { Card } from "@/components/ui/card.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import type { ServiceInfra } from "@/domain/overview/infrastructure.ts";
import { formatBytes, formatMs, formatPercent } from "@/lib/format.ts";

const code = "rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800";

/** CPU, memory, network and event-loop delay per service. */
export function InfrastructureStrip({ rows }: { rows: ServiceInfra[] }) {
  return (
    <Card
      title="Infrastructure"
      description="Means over the range per service: CPU share, resident memory per instance, network on its hosts, worst event-loop delay."
    >
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No runtime metrics yet — the agent sends them (<code className={code}>process.*</code>,{" "}
          <code className={code}>system.*</code>, <code className={code}>nodejs.eventloop.*</code>
          ).
        </p>
      ) : (
        <DataTable
          columns={["Service", "Instances", "CPU", "Memory", "Network", "Event loop p99"]}
          bodyClassName="tabular-nums"
        >
          {rows.map((row) => (
            <tr key={row.service} aria-label={`infrastructure of ${row.service}`}>
              <td className="py-2 pr-4 font-medium">{row.service}</td>
              <td className="py-2 pr-4">{row.instances}</td>
              <td className="py-2 pr-4">{formatPercent(row.cpu)}</td>
              <td className="py-2 pr-4">{formatBytes(row.memory)}</td>
              <td className="py-2 pr-4">
                {row.network === null ? "—" : `${formatBytes(row.network)}/s`}
              </td>
              <td className="py-2">{formatMs(row.eventLoopP99)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
